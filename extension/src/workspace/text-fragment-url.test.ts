import { describe, expect, it } from 'vitest';
import { textFragmentUrl } from './text-fragment-url';

describe('textFragmentUrl', () => {
  it('addresses the quote with its context, encoding dashes and commas', () => {
    const url = textFragmentUrl({
      source: 'https://shop.example/reviews?id=4',
      quote: {
        type: 'TextQuoteSelector',
        exact: 'late-night delivery, again',
        prefix: 'It was a ',
        suffix: ' and nobody',
      },
    });
    expect(url).toBe(
      'https://shop.example/reviews?id=4#:~:text=It%20was%20a-,late%2Dnight%20delivery%2C%20again,-and%20nobody',
    );
  });

  it('uses start and end words for a long quote, and the frame URL when the clip was inside a frame', () => {
    const exact = 'one two three four five six seven eight nine ten eleven twelve thirteen';
    const url = textFragmentUrl({
      source: 'https://a.example/',
      frameUrl: 'https://frame.example/page',
      quote: { type: 'TextQuoteSelector', exact },
    });
    expect(url).toBe(
      'https://frame.example/page#:~:text=one%20two%20three%20four%20five,nine%20ten%20eleven%20twelve%20thirteen',
    );
  });
});
