// The core compiles without DOM or Node typings so that no platform API creeps in. The WHATWG URL parser is
// the one exception: it is identical in browsers, Node and the Forge runtime, and parsing URLs by hand is how
// tracking parameters slip through. Only the members the core uses are declared.
declare class URLSearchParams {
  keys(): IterableIterator<string>;
  delete(name: string): void;
  get(name: string): string | null;
}
declare class URL {
  constructor(input: string, base?: string);
  hash: string;
  host: string;
  hostname: string;
  origin: string;
  pathname: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  toString(): string;
}
