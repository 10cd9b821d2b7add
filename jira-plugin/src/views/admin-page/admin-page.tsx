import { type Department, type Person, resolveUpLineManager, type WorkflowCheck } from '@cxplan/core';
import {
  Box,
  Button,
  ButtonGroup,
  Checkbox,
  DynamicTable,
  Heading,
  Inline,
  Label,
  Lozenge,
  SectionMessage,
  Select,
  Stack,
  Text,
  TextArea,
  Textfield,
  User,
  UserPicker,
} from '@forge/react';
import { type ReactElement, useEffect, useState } from 'react';
import type { AdminState } from '../../resolvers/admin-resolver';
import type { OrganisationConfig } from '../../workflow/organisation-config';
import { callResolver } from '../call-resolver';

/** A value typed into a UI Kit field: UI Kit hands `onChange` an event whose target carries the value. */
const fieldValue = (event: unknown): string =>
  String((event as { target?: { value?: unknown } }).target?.value ?? '');

/** A user picked with UI Kit's UserPicker. */
interface PickedUser {
  id: string;
  name?: string;
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'item';

/** Adds (or keeps) a picked Jira user in the people list; in the Jira app a person's id is their account id. */
function withPerson(config: OrganisationConfig, user: PickedUser | undefined): OrganisationConfig {
  if (!user || config.people.some((p) => p.id === user.id)) return config;
  return {
    ...config,
    people: [
      ...config.people,
      { id: user.id, name: user.name ?? user.id, jiraAccountId: user.id, role: 'manager' },
    ],
  };
}

/** Who verifies a department's goals, in words, by the core's resolution rule. */
function upLineText(department: Department, config: OrganisationConfig): string {
  const nameOf = (id: string): string => config.people.find((p) => p.id === id)?.name ?? id;
  const result = resolveUpLineManager(department, config.departments, nameOf);
  if (!result.ok) return result.error.message;
  const via =
    result.via === 'explicit'
      ? 'set explicitly'
      : `manager of ${config.departments.find((d) => d.id === result.fromDepartmentId)?.name}`;
  return `${nameOf(result.managerId)} (${via})`;
}

function DepartmentsTable({
  config,
  onRemove,
}: {
  config: OrganisationConfig;
  onRemove: (id: string) => void;
}): ReactElement {
  const head = {
    cells: [
      { key: 'name', content: 'Department' },
      { key: 'manager', content: 'Manager' },
      { key: 'upline', content: 'Verified by (up-line manager)' },
      { key: 'actions', content: '' },
    ],
  };
  const rows = config.departments.map((d) => ({
    key: d.id,
    cells: [
      { key: 'name', content: <Text>{d.name}</Text> },
      { key: 'manager', content: d.managerId ? <User accountId={d.managerId} /> : <Text>none</Text> },
      { key: 'upline', content: <Text>{upLineText(d, config)}</Text> },
      {
        key: 'actions',
        content: (
          <Button appearance="subtle" onClick={() => onRemove(d.id)}>
            {`Remove ${d.name}`}
          </Button>
        ),
      },
    ],
  }));
  return (
    <DynamicTable caption="Departments" head={head} rows={rows} emptyView={<Text>No departments yet</Text>} />
  );
}

function AddDepartment({
  config,
  onAdd,
}: {
  config: OrganisationConfig;
  onAdd: (department: Department, picked: PickedUser[]) => void;
}): ReactElement {
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<string | undefined>();
  const [manager, setManager] = useState<PickedUser | undefined>();
  const [upLine, setUpLine] = useState<PickedUser | undefined>();
  const add = (): void => {
    const trimmed = name.trim();
    if (!trimmed) return;
    let id = slug(trimmed);
    while (config.departments.some((d) => d.id === id)) id = `${id}-2`;
    onAdd(
      {
        id,
        name: trimmed,
        ...(manager && { managerId: manager.id }),
        ...(upLine && { upLineManagerId: upLine.id }),
        ...(parentId && { parentId }),
      },
      [manager, upLine].filter((u): u is PickedUser => u !== undefined),
    );
    setName('');
  };
  return (
    <Stack space="space.100">
      <Heading as="h4">Add a department</Heading>
      <Label labelFor="dept-name">Name</Label>
      <Textfield id="dept-name" name="dept-name" value={name} onChange={(e) => setName(fieldValue(e))} />
      <Label labelFor="dept-parent">Parent department</Label>
      <Select
        inputId="dept-parent"
        name="dept-parent"
        isClearable
        options={config.departments.map((d) => ({ label: d.name, value: d.id }))}
        onChange={(option: unknown) => setParentId((option as { value?: string } | null)?.value)}
      />
      <UserPicker
        label="Manager"
        name="dept-manager"
        onChange={(user: unknown) => setManager(user as PickedUser)}
      />
      <UserPicker
        label="Up-line manager (leave empty to use the parent department's manager)"
        name="dept-upline"
        onChange={(user: unknown) => setUpLine(user as PickedUser)}
      />
      <Button appearance="primary" onClick={add}>
        Add department
      </Button>
    </Stack>
  );
}

function CyclesSection({
  config,
  onChange,
}: {
  config: OrganisationConfig;
  onChange: (cycles: OrganisationConfig['cycles']) => void;
}): ReactElement {
  const [name, setName] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const add = (): void => {
    const trimmed = name.trim();
    if (!trimmed) return;
    let id = `cycle-${slug(trimmed)}`;
    while (config.cycles.some((c) => c.id === id)) id = `${id}-2`;
    // A new cycle becomes the active one; the previous active cycle is closed and linked as its predecessor.
    const previous = config.cycles.find((c) => c.status === 'active');
    onChange([
      ...config.cycles.map((c) => (c.status === 'active' ? { ...c, status: 'closed' as const } : c)),
      { id, name: trimmed, start, end, status: 'active', ...(previous && { previousCycleId: previous.id }) },
    ]);
    setName('');
  };
  return (
    <Stack space="space.100">
      <Heading as="h3">Planning cycles</Heading>
      {config.cycles.length === 0 ? (
        <Text>No cycle yet: the project page measures progress against the active cycle.</Text>
      ) : (
        config.cycles.map((c) => <Text key={c.id}>{`${c.name}: ${c.start} to ${c.end} (${c.status})`}</Text>)
      )}
      <Label labelFor="cycle-name">New cycle</Label>
      <Textfield id="cycle-name" name="cycle-name" value={name} onChange={(e) => setName(fieldValue(e))} />
      <Label labelFor="cycle-start">Starts (YYYY-MM-DD)</Label>
      <Textfield
        id="cycle-start"
        name="cycle-start"
        value={start}
        onChange={(e) => setStart(fieldValue(e).trim())}
      />
      <Label labelFor="cycle-end">Ends (YYYY-MM-DD)</Label>
      <Textfield id="cycle-end" name="cycle-end" value={end} onChange={(e) => setEnd(fieldValue(e).trim())} />
      <Button onClick={add}>Add cycle</Button>
    </Stack>
  );
}

function WorkflowFindings({ check }: { check: WorkflowCheck }): ReactElement {
  return (
    <Stack space="space.050">
      <Text>
        {check.ready
          ? `The workflow "${check.workflowName}" is set up for verification.`
          : `The workflow ${check.workflowName ? `"${check.workflowName}" ` : ''}is not ready: add what is missing below (see docs/workflow.md).`}
      </Text>
      {check.findings.map((f) => (
        <Inline key={f.message} space="space.100">
          <Lozenge appearance={f.level === 'ok' ? 'success' : 'removed'}>
            {f.level === 'ok' ? 'ok' : 'missing'}
          </Lozenge>
          <Text>{f.message}</Text>
        </Inline>
      ))}
    </Stack>
  );
}

const ROLES: ReadonlyArray<{ label: string; value: Person['role'] }> = [
  { label: 'Staff', value: 'staff' },
  { label: 'Manager', value: 'manager' },
  { label: 'Executive (leader)', value: 'executive' },
  { label: 'Partner', value: 'partner' },
];

/**
 * The people of the team workspace (Jira users): their role, which decides what they may change, and who
 * administers the workspace. At least one admin must remain; the server refuses a save that leaves none.
 */
function PeopleSection({
  config,
  me,
  firstSave,
  onChange,
}: {
  config: OrganisationConfig;
  me: string;
  firstSave: boolean;
  onChange: (people: Person[]) => void;
}): ReactElement {
  const [picked, setPicked] = useState<PickedUser | undefined>();
  const update = (id: string, change: Partial<Person>): void =>
    onChange(config.people.map((p) => (p.id === id ? { ...p, ...change } : p)));
  const managing = (id: string): boolean =>
    config.departments.some((d) => d.managerId === id || d.upLineManagerId === id);
  const head = {
    cells: [
      { key: 'person', content: 'Person' },
      { key: 'role', content: 'Role' },
      { key: 'admin', content: 'Admin of the team workspace' },
      { key: 'actions', content: '' },
    ],
  };
  const rows = config.people.map((p) => ({
    key: p.id,
    cells: [
      { key: 'person', content: <Text>{p.id === me ? `${p.name} (you)` : p.name}</Text> },
      {
        key: 'role',
        content: (
          <Select
            inputId={`role-${p.id}`}
            name={`role-${p.id}`}
            options={[...ROLES]}
            value={ROLES.find((r) => r.value === p.role)}
            onChange={(option: unknown) => {
              const role = (option as { value?: Person['role'] } | null)?.value;
              if (role) update(p.id, { role });
            }}
          />
        ),
      },
      {
        key: 'admin',
        content: (
          <Checkbox
            name={`admin-${p.id}`}
            label={`${p.name} is an admin`}
            isChecked={p.admin === true}
            onChange={() => update(p.id, { admin: !(p.admin === true) })}
          />
        ),
      },
      {
        key: 'actions',
        content: managing(p.id) ? (
          <Text>manages a department</Text>
        ) : (
          <Button appearance="subtle" onClick={() => onChange(config.people.filter((q) => q.id !== p.id))}>
            {`Remove ${p.name}`}
          </Button>
        ),
      },
    ],
  }));
  return (
    <Stack space="space.100">
      <Heading as="h3">People</Heading>
      <Text>
        Everyone who plans, acts or verifies, as Jira users. Their role decides what they may change in the
        team workspace; admins change the organisation, departments, people and the framework.
      </Text>
      {firstSave && (
        <SectionMessage appearance="information" title="Nobody administers the team workspace yet">
          <Text>When you save, you become its first admin.</Text>
        </SectionMessage>
      )}
      <DynamicTable caption="People" head={head} rows={rows} emptyView={<Text>No people yet</Text>} />
      <UserPicker
        label="Add a person"
        name="person-picker"
        onChange={(user: unknown) => setPicked(user as PickedUser)}
      />
      <Button
        onClick={() => {
          if (picked) onChange(withPerson(config, picked).people);
        }}
      >
        Add person
      </Button>
    </Stack>
  );
}

/** Where browsers connect now: each person from Jira, with their own device key. */
function ConnectSection(): ReactElement {
  return (
    <Stack space="space.100">
      <Heading as="h3">Browsers</Heading>
      <Text>
        Each person connects their own cxplan extension from Jira: Apps → cxplan - connect a browser. There
        they get a one-time code for their browser, and see and disconnect their browsers; admins see
        everyone's. The shared installation secret of earlier versions no longer works: extensions paired with
        it are asked to connect again, and keep everything they had queued.
      </Text>
    </Stack>
  );
}

/** The cxplan admin page: organisation, departments, people and admins, cycles, Jira project and workflow check. */
export function AdminPage(): ReactElement {
  const [state, setState] = useState<AdminState | undefined>();
  const [draft, setDraft] = useState<OrganisationConfig | undefined>();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | undefined>();
  const [check, setCheck] = useState<WorkflowCheck | undefined>();

  useEffect(() => {
    void (async () => {
      const answer = await callResolver<AdminState>('getAdminState');
      if (!answer.ok) return setMessage({ kind: 'error', text: answer.message });
      setState(answer.value);
      setDraft(answer.value.config);
    })();
  }, []);

  if (!state || !draft) {
    return message ? (
      <SectionMessage appearance="error">{message.text}</SectionMessage>
    ) : (
      <Text>Loading…</Text>
    );
  }

  const save = async (config: OrganisationConfig): Promise<void> => {
    const answer = await callResolver<OrganisationConfig>('saveOrganisation', { config });
    if (!answer.ok) return setMessage({ kind: 'error', text: answer.message });
    setDraft(answer.value);
    setState({ ...state, config: answer.value, firstSave: false });
    setMessage({ kind: 'success', text: 'Saved.' });
  };
  const runCheck = async (): Promise<void> => {
    const answer = await callResolver<WorkflowCheck>('checkWorkflow');
    if (!answer.ok) return setMessage({ kind: 'error', text: answer.message });
    setCheck(answer.value);
  };
  const jira = draft.jira ?? { projectKey: '', epicIssueTypeId: '', actionIssueTypeId: '' };
  const setJira = (field: keyof typeof jira, value: string): void =>
    setDraft({ ...draft, jira: { ...jira, [field]: value } });

  return (
    <Stack space="space.300">
      <Heading as="h2">cxplan</Heading>
      {message && (
        <SectionMessage appearance={message.kind === 'error' ? 'error' : 'success'}>
          <Text>{message.text}</Text>
        </SectionMessage>
      )}

      <Stack space="space.100">
        <Heading as="h3">Organisation</Heading>
        <Label labelFor="org-name">Name</Label>
        <Textfield
          id="org-name"
          name="org-name"
          value={draft.organisation.name}
          onChange={(e) =>
            setDraft({ ...draft, organisation: { ...draft.organisation, name: fieldValue(e) } })
          }
        />
        <Label labelFor="org-objectives">Business objectives (one per line)</Label>
        <TextArea
          id="org-objectives"
          name="org-objectives"
          value={draft.organisation.businessObjectives.map((o) => o.name).join('\n')}
          onChange={(e) => {
            const names = fieldValue(e)
              .split('\n')
              .map((n) => n.trim())
              .filter(Boolean);
            const kept = draft.organisation.businessObjectives;
            const businessObjectives = names.map(
              (name) => kept.find((o) => o.name === name) ?? { id: `bo-${slug(name)}`, name },
            );
            setDraft({ ...draft, organisation: { ...draft.organisation, businessObjectives } });
          }}
        />
      </Stack>

      <Stack space="space.100">
        <Heading as="h3">Departments</Heading>
        <DepartmentsTable
          config={draft}
          onRemove={(id) =>
            setDraft({
              ...draft,
              departments: draft.departments
                .filter((d) => d.id !== id)
                .map((d) => (d.parentId === id ? { ...d, parentId: undefined } : d)),
            })
          }
        />
        <AddDepartment
          config={draft}
          onAdd={(department, picked) => {
            const withPeople = picked.reduce(withPerson, draft);
            setDraft({ ...withPeople, departments: [...withPeople.departments, department] });
          }}
        />
      </Stack>

      <PeopleSection
        config={draft}
        me={state.me}
        firstSave={state.firstSave}
        onChange={(people) => setDraft({ ...draft, people })}
      />

      <CyclesSection config={draft} onChange={(cycles) => setDraft({ ...draft, cycles })} />

      <Stack space="space.100">
        <Heading as="h3">Jira project</Heading>
        <Label labelFor="jira-project">Project key</Label>
        <Textfield
          id="jira-project"
          name="jira-project"
          value={jira.projectKey}
          onChange={(e) => setJira('projectKey', fieldValue(e).trim().toUpperCase())}
        />
        <Label labelFor="jira-epic">Issue type id of department goals (an epic type)</Label>
        <Textfield
          id="jira-epic"
          name="jira-epic"
          value={jira.epicIssueTypeId}
          onChange={(e) => setJira('epicIssueTypeId', fieldValue(e).trim())}
        />
        <Label labelFor="jira-action">Issue type id of actions (e.g. Task)</Label>
        <Textfield
          id="jira-action"
          name="jira-action"
          value={jira.actionIssueTypeId}
          onChange={(e) => setJira('actionIssueTypeId', fieldValue(e).trim())}
        />
      </Stack>

      <ButtonGroup>
        <Button appearance="primary" onClick={() => void save(draft)}>
          Save settings
        </Button>
        <Button onClick={() => void runCheck()}>Check the verification workflow</Button>
      </ButtonGroup>
      {check && (
        <Box>
          <WorkflowFindings check={check} />
        </Box>
      )}

      <ConnectSection />
    </Stack>
  );
}
