import { describe, expect, it } from 'vitest';
import { cleanUrl } from './clean-url';

describe('cleanUrl', () => {
  it('drops utm_* and click ids but keeps meaningful parameters', () => {
    expect(cleanUrl('https://shop.example.com/p?id=42&utm_source=mail&UTM_Medium=x&fbclid=abc&page=2')).toBe(
      'https://shop.example.com/p?id=42&page=2',
    );
  });

  it('leaves no dangling ? when only tracking parameters were present', () => {
    expect(cleanUrl('https://example.com/a?utm_campaign=x&gclid=1')).toBe('https://example.com/a');
  });

  it('drops a text-fragment directive but keeps an ordinary fragment', () => {
    expect(cleanUrl('https://example.com/a#:~:text=slow')).toBe('https://example.com/a');
    expect(cleanUrl('https://example.com/a#reviews:~:text=slow')).toBe('https://example.com/a#reviews');
    expect(cleanUrl('https://example.com/a#reviews')).toBe('https://example.com/a#reviews');
  });
});
