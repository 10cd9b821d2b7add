import { describe, expect, it } from 'vitest';
import { cleanUrl } from './clean-url';

describe('cleanUrl', () => {
  it.each([
    ['https://shop.example/p/1?utm_source=x&utm_medium=y&id=7', 'https://shop.example/p/1?id=7'],
    ['https://shop.example/p/1?UTM_Campaign=x&fbclid=abc', 'https://shop.example/p/1'],
    ['https://shop.example/p/1?gclid=1&page=2#reviews', 'https://shop.example/p/1?page=2#reviews'],
    ['https://shop.example/p/1#:~:text=late%20delivery', 'https://shop.example/p/1'],
    ['https://shop.example/p/1#r12:~:text=late', 'https://shop.example/p/1#r12'],
    ['https://shop.example/p/1?q=a+b', 'https://shop.example/p/1?q=a+b'],
    ['not a url', 'not a url'],
  ])('%s → %s', (input, expected) => {
    expect(cleanUrl(input)).toBe(expected);
  });
});
