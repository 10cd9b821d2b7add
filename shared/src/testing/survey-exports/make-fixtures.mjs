// Writes the survey-export fixtures in this folder as the tools write them, bytes included (UTF-8 with and
// without a byte-order mark, UTF-16 LE "Unicode text", Windows-1252). The files are committed; run this again
// (`node shared/src/testing/survey-exports/make-fixtures.mjs`) only to change them, and say why in the commit.
// Each layout follows the tool's documented export (see README.md beside this file for the sources).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** RFC 4180 quoting: quote a field holding the separator, a quote or a line break. */
const field = (value, sep) =>
  /["\r\n]/.test(value) || value.includes(sep) ? `"${value.replaceAll('"', '""')}"` : value;
const lines = (rows, sep, eol) => rows.map((r) => r.map((v) => field(v, sep)).join(sep)).join(eol) + eol;

const utf8 = (text) => Buffer.from(text, 'utf8');
const utf8Bom = (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const utf16leBom = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
// Windows-1252 is Latin-1 except 0x80–0x9F; the few characters of that range these files use are mapped here.
const CP1252_EXTRA = {
  '€': 0x80,
  '„': 0x84,
  '…': 0x85,
  '‚': 0x82,
  '“': 0x93,
  '”': 0x94,
  '–': 0x96,
  '—': 0x97,
};
const windows1252 = (text) =>
  Buffer.from(
    [...text].map((ch) => {
      if (CP1252_EXTRA[ch] !== undefined) return CP1252_EXTRA[ch];
      const code = ch.codePointAt(0);
      if (code > 0xff || (code >= 0x80 && code <= 0x9f)) throw new Error(`not in Windows-1252: ${ch}`);
      return code;
    }),
  );

const write = (name, bytes) => {
  writeFileSync(join(here, name), bytes);
  console.log(`wrote ${name} (${bytes.length} bytes)`);
};

// Qualtrics "Export data" → CSV, "Use numeric values", UTF-8 with BOM: three header rows (column ids, question
// texts, ImportId JSON stating the time zone of the date columns), dates as wall time in that zone.
{
  const q1 = 'How likely are you to recommend Acme to a friend or colleague?';
  const ids = [
    'StartDate',
    'EndDate',
    'Status',
    'IPAddress',
    'Progress',
    'Duration (in seconds)',
    'Finished',
    'RecordedDate',
    'ResponseId',
    'RecipientLastName',
    'RecipientFirstName',
    'RecipientEmail',
    'ExternalReference',
    'LocationLatitude',
    'LocationLongitude',
    'DistributionChannel',
    'UserLanguage',
    'Q1',
    'Q2',
    'Q3',
    'Q1_NPS_GROUP',
  ];
  const texts = [
    'Start Date',
    'End Date',
    'Response Type',
    'IP Address',
    'Progress',
    'Duration (in seconds)',
    'Finished',
    'Recorded Date',
    'Response ID',
    'Recipient Last Name',
    'Recipient First Name',
    'Recipient Email',
    'External Data Reference',
    'Location Latitude',
    'Location Longitude',
    'Distribution Channel',
    'User Language',
    q1,
    'What is the main reason for your score?',
    'Which plan are you on?',
    `${q1} - Group`,
  ];
  const tz = (id) => `{"ImportId":"${id}","timeZone":"America/Denver"}`;
  const importIds = [
    tz('startDate'),
    tz('endDate'),
    '{"ImportId":"status"}',
    '{"ImportId":"ipAddress"}',
    '{"ImportId":"progress"}',
    '{"ImportId":"duration"}',
    '{"ImportId":"finished"}',
    tz('recordedDate'),
    '{"ImportId":"_recordId"}',
    '{"ImportId":"recipientLastName"}',
    '{"ImportId":"recipientFirstName"}',
    '{"ImportId":"recipientEmail"}',
    '{"ImportId":"externalDataReference"}',
    '{"ImportId":"locationLatitude"}',
    '{"ImportId":"locationLongitude"}',
    '{"ImportId":"distributionChannel"}',
    '{"ImportId":"userLanguage"}',
    '{"ImportId":"QID1"}',
    '{"ImportId":"QID2_TEXT"}',
    '{"ImportId":"QID3"}',
    '{"ImportId":"QID1_NPS_GROUP"}',
  ];
  const row = (start, end, ip, id, score, why, plan, group, lat, lon) => [
    start,
    end,
    '0',
    ip,
    '100',
    '63',
    '1',
    end,
    id,
    '',
    '',
    '',
    '',
    lat,
    lon,
    'anonymous',
    'EN',
    score,
    why,
    plan,
    group,
  ];
  const data = [
    row(
      '2026-11-02 09:12:58',
      '2026-11-02 09:14:11',
      '203.0.113.24',
      'R_1Fz8QvK2mXa0bcD',
      '3',
      'The invoice was wrong twice and nobody called back.',
      'Pro',
      '1',
      '39.7392',
      '-104.9903',
    ),
    row(
      '2026-11-02 10:01:40',
      '2026-11-02 10:03:02',
      '198.51.100.7',
      'R_2kLm9PqRsT4uvWx',
      '10',
      'Setup took ten minutes, and support answered in the chat right away.',
      'Basic',
      '3',
      '40.0150',
      '-105.2705',
    ),
    row(
      '2026-11-03 16:45:10',
      '2026-11-03 16:47:55',
      '192.0.2.140',
      'R_3aBcDeFgHiJkLmN',
      '7',
      'Fine overall.\nThe mobile app logs me out every few days though, which is "annoying".',
      'Enterprise',
      '2',
      '38.8339',
      '-104.8214',
    ),
    row(
      '2026-11-04 08:20:00',
      '2026-11-04 08:21:31',
      '203.0.113.90',
      'R_4xYz0123AbCdEfG',
      '6',
      '',
      'Pro',
      '1',
      '39.5501',
      '-105.7821',
    ),
    row(
      '2026-11-05 13:02:19',
      '2026-11-05 13:05:44',
      '198.51.100.33',
      'R_5QrStUvWxYz4567',
      '9',
      'Delivery was on time, packaging could use less plastic.',
      'Basic',
      '3',
      '39.7392',
      '-104.9903',
    ),
    row(
      '2026-11-06 19:30:03',
      '2026-11-06 19:31:12',
      '192.0.2.5',
      'R_6HiJkLmNoPqRsTu',
      '0',
      'Cancelled after the price went up without notice.',
      'Pro',
      '1',
      '40.5853',
      '-105.0844',
    ),
  ];
  write('qualtrics-nps.csv', utf8Bom(lines([ids, texts, importIds, ...data], ',', '\r\n')));
}

// SurveyMonkey "Export all responses" → CSV, expanded: question texts in the first row, sub-answers
// ("Response", "Open-Ended Response", one column per choice of a multi-select) in the second, dates as
// MM/DD/YYYY hh:mm:ss AM in the account's time zone (the file does not state it).
{
  const header = [
    'Respondent ID',
    'Collector ID',
    'Start Date',
    'End Date',
    'IP Address',
    'Email Address',
    'First Name',
    'Last Name',
    'Custom Data 1',
    'How likely is it that you would recommend Acme to a friend or colleague?',
    'What is the primary reason for your score?',
    'Which plan are you on?',
    'Which of our channels did you use? (Select all that apply)',
    '',
    '',
  ];
  const sub = [
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    'Response',
    'Open-Ended Response',
    'Response',
    'Mobile app',
    'Website',
    'Phone support',
  ];
  const row = (id, start, end, ip, score, why, plan, app, web, phone) => [
    id,
    '431287956',
    start,
    end,
    ip,
    '',
    '',
    '',
    '',
    score,
    why,
    plan,
    app,
    web,
    phone,
  ];
  const data = [
    row(
      '114522337781',
      '11/02/2026 09:12:58 AM',
      '11/02/2026 09:14:11 AM',
      '203.0.113.24',
      '2',
      'Waited 40 minutes on the phone to change my address.',
      'Pro',
      '',
      '',
      'Phone support',
    ),
    row(
      '114522340126',
      '11/02/2026 01:05:40 PM',
      '11/02/2026 01:07:02 PM',
      '198.51.100.7',
      '9',
      'Easy to use, and the app remembers my usual order.',
      'Basic',
      'Mobile app',
      'Website',
      '',
    ),
    row(
      '114522351904',
      '11/13/2026 07:45:10 PM',
      '11/13/2026 07:47:55 PM',
      '192.0.2.140',
      '5',
      "The website's checkout failed twice before it took my card.",
      'Enterprise',
      '',
      'Website',
      '',
    ),
    row(
      '114522362217',
      '11/14/2026 11:59:00 AM',
      '11/14/2026 12:01:31 PM',
      '203.0.113.90',
      '10',
      'Refund arrived the next day. Impressive!',
      'Pro',
      'Mobile app',
      '',
      '',
    ),
  ];
  write('surveymonkey-nps.csv', utf8(lines([header, sub, ...data], ',', '\r\n')));
}

// Google Forms responses in Google Sheets, File → Download → CSV (English (United States) spreadsheet locale):
// "Timestamp" then the question texts as headers, M/D/YYYY H:MM:SS in the spreadsheet's time zone.
{
  const header = [
    'Timestamp',
    'Email Address',
    'How likely are you to recommend Acme to a friend or colleague?',
    'What is the main reason for your score?',
    'Which plan are you on?',
    'Anything else you would like to tell us?',
  ];
  const data = [
    ['11/2/2026 9:14:11', 'ana@example.com', '4', 'Two deliveries in a row came late.', 'Pro', ''],
    [
      '11/2/2026 17:40:03',
      'ben@example.org',
      '8',
      'Good value, but the app is slow to start.',
      'Basic',
      'No',
    ],
    [
      '11/13/2026 8:02:45',
      'chen@example.net',
      '10',
      'The support person fixed my account in one call.',
      'Enterprise',
      'Keep it up!',
    ],
    ['11/20/2026 21:15:00', 'dana@example.com', '6', 'Prices keep creeping up.', 'Pro', ''],
  ];
  write('google-forms.csv', utf8(lines([header, ...data], ',', '\r\n')));
}

// Typeform "Download responses" → CSV: "#" (the response token), question texts, then "Response Type",
// "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags"; dates YYYY-MM-DD HH:MM:SS UTC.
{
  const header = [
    '#',
    'How likely are you to recommend Acme to a friend or colleague?',
    "What's the main reason for your score?",
    'Which plan are you on?',
    'Response Type',
    'Start Date (UTC)',
    'Stage Date (UTC)',
    'Submit Date (UTC)',
    'Network ID',
    'Tags',
  ];
  const data = [
    [
      '0x1vjc8tq4mwd3k9f0x1vjc8tq2yhcbz',
      '3',
      'The courier left the parcel in the rain.',
      'Basic',
      'completed',
      '2026-11-02 09:12:58',
      '',
      '2026-11-02 09:14:11',
      'a41c2f8e07',
      '',
    ],
    [
      'b7mt2hq6xo9v1s0eb7mt2hqyr4dq8k3n',
      '9',
      'Quick answers from support; the invoice is finally readable.',
      'Pro',
      'completed',
      '2026-11-03 14:20:05',
      '',
      '2026-11-03 14:21:40',
      '5e9d03b1c2',
      'vip',
    ],
    [
      'k2p8s0d4f6h8j0l2k2p8s0d4wqe7r9t1',
      '7',
      'Okay, nothing special.',
      'Pro',
      'completed',
      '2026-11-04 18:00:00',
      '',
      '2026-11-04 18:00:52',
      '77f0ab3c9d',
      '',
    ],
  ];
  write('typeform.csv', utf8(lines([header, ...data], ',', '\r\n')));
}

// Microsoft Forms → "Open results in Excel", saved by Excel as "Unicode Text (*.txt)": UTF-16 LE with a
// byte-order mark, tab-separated; "ID", "Start time", "Completion time" (M/D/YY H:MM:SS as Excel shows them in an
// English (US) locale), "Email", "Name", then the questions. A CSAT rating (1–5) and an open question.
{
  const header = [
    'ID',
    'Start time',
    'Completion time',
    'Email',
    'Name',
    'How satisfied are you with our support?',
    'What could we do better?',
    'Which plan are you on?',
  ];
  const data = [
    [
      '1',
      '11/2/26 9:12:58',
      '11/2/26 9:14:11',
      'anonymous',
      '',
      '2',
      'Answer the phone — I waited 25 minutes.',
      'Pro',
    ],
    [
      '2',
      '11/2/26 14:03:12',
      '11/2/26 14:05:40',
      'anonymous',
      '',
      '5',
      'Nothing, the agent was brilliant.',
      'Basic',
    ],
    [
      '3',
      '11/16/26 8:30:00',
      '11/16/26 8:31:09',
      'anonymous',
      '',
      '3',
      'Send a confirmation e-mail after a call.',
      'Enterprise',
    ],
  ];
  write('microsoft-forms.txt', utf16leBom(lines([header, ...data], '\t', '\r\n')));
}

// A survey kept by hand in Excel on a German Windows and saved as "CSV (Trennzeichen-getrennt)": Windows-1252,
// ";" separators, DD.MM.YYYY HH:MM in local (Berlin) time, German headers. No tool layout: the guess must work.
{
  const header = ['Datum', 'Kundennummer', 'Weiterempfehlung (0-10)', 'Kommentar', 'Kundengruppe'];
  const data = [
    ['02.11.2026 09:14', 'K-10023', '3', 'Die Lieferung kam zwei Tage zu spät.', 'Privatkunde'],
    ['02.11.2026 11:30', 'K-10057', '9', 'Schnelle Hilfe am Telefon, danke!', 'Geschäftskunde'],
    [
      '05.11.2026 16:05',
      'K-10102',
      '6',
      'Die Rechnung über 49,90 € war „unverständlich“; bitte einfacher.',
      'Privatkunde',
    ],
    ['13.11.2026 08:45', 'K-10230', '10', 'Größte Auswahl, beste Preise.', 'Geschäftskunde'],
  ];
  write('excel-german.csv', windows1252(lines([header, ...data], ';', '\r\n')));
}

// Delighted-style NPS export: the fields of Delighted's documented survey-response object as columns
// (id, person, survey_type, score, comment, permalink, created_at / updated_at as Unix seconds) plus a person
// property ("Plan").
{
  const header = [
    'Response ID',
    'Person ID',
    'Email',
    'Name',
    'Survey Type',
    'Score',
    'Comment',
    'Permalink',
    'Created At',
    'Updated At',
    'Tags',
    'Notes',
    'Plan',
  ];
  const link = (id) => `https://app.delighted.com/r/${id}`;
  const data = [
    [
      '57190331',
      '81532201',
      'ana@example.com',
      'Ana',
      'nps',
      '2',
      'The app crashes when I pay.',
      link('57190331'),
      '1793610851',
      '1793610851',
      '',
      '',
      'Pro',
    ],
    [
      '57190388',
      '81532245',
      'ben@example.org',
      'Ben',
      'nps',
      '10',
      'Love the new dashboard.',
      link('57190388'),
      '1793701200',
      '1793701200',
      'promoter',
      '',
      'Basic',
    ],
    [
      '57190412',
      '81532310',
      'chen@example.net',
      'Chen',
      'nps',
      '7',
      '',
      link('57190412'),
      '1793788000',
      '1793788000',
      '',
      '',
      'Enterprise',
    ],
  ];
  write('delighted-style.csv', utf8(lines([header, ...data], ',', '\n')));
}

// Medallia Agent Connect (formerly Stella Connect) "Export Responses": the documented field names, timestamps in
// UTC, a 1–5 star rating.
{
  const header = [
    'request_id',
    'request_sent_at',
    'request_delivery_status',
    'response_received_at',
    'star_rating',
    'comments',
    'channel',
    'brand',
    'customer_name',
    'employee_first_name',
    'employee_last_name',
    'ext_interaction_id',
  ];
  const data = [
    [
      'f3a9c2e1-7b44-4d0e-9a51-2f6c8d1e0b77',
      '2026-11-02T08:55:00Z',
      'Sent',
      '2026-11-02T09:14:11Z',
      '2',
      'Agent was polite but could not fix the billing error.',
      'phone',
      'Acme',
      'Ana Ruiz',
      'Sam',
      'Lee',
      'INT-88123',
    ],
    [
      '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9',
      '2026-11-03T12:00:00Z',
      'Sent',
      '2026-11-03T12:40:27Z',
      '5',
      'Solved in one chat, thank you Priya!',
      'chat',
      'Acme',
      'Ben Okafor',
      'Priya',
      'Nair',
      'INT-88190',
    ],
  ];
  write('medallia-agent-connect.csv', utf8(lines([header, ...data], ',', '\r\n')));
}
