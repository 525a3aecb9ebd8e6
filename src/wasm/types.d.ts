/** Options of both clients. */
export interface ClientOptions {
  /**
   * A `df_` website API key or a `dft_` account access token. Never echoed in errors, logs or
   * `toJSON`. In Node and Deno, when absent: `DATAFAST_SITE_KEY` then `DATAFAST_TOKEN`
   * (`WebsiteClient`), `DATAFAST_TOKEN` then `DATAFAST_SITE_KEY` (`AdminClient`).
   */
  token?: string;
  /** The website a `dft_` token acts on for Website API routes (required then on `WebsiteClient`). */
  websiteId?: string;
  /** API origin; defaults to `DATAFAST_API_BASE` (Node, Deno), else `https://datafa.st`. */
  baseUrl?: string;
  /** Each call's time budget in ms, retries and waits included. Default 30000. */
  timeoutMs?: number;
  /** Retries of transient failures (network, timeout, 408, 429, 5xx). Default 2, at most 10. */
  maxRetries?: number;
  /** A `fetch` to use instead of `globalThis.fetch` (for tests, proxies, instrumentation). */
  fetch?: (url: string, init: FetchInit) => Promise<ResponseLike>;
  /** Called before every attempt (never sees the token). */
  onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt, with its status (0 when no response came). */
  onResponse?: (event: ResponseEvent) => void;
  /**
   * Calls this client runs at once; later calls wait in order (abortable, within their
   * `timeoutMs`). Default 6, at most 1000.
   */
  maxConcurrency?: number;
  /**
   * Pacing by the token's rate limit: `true` (default) waits for the window instead of
   * provoking a 429, sharing what it learns with every client of the same token in this
   * process; `false` sends at once (for callers that pace themselves); a `SharedRateLimiter`
   * (e.g. a Durable Object) paces the token across processes or isolates instead.
   */
  rateLimit?: boolean | SharedRateLimiter;
  /** Allow construction in a browser page, where the token is visible to every visitor. */
  dangerouslyAllowBrowser?: boolean;
}
export type WebsiteClientOptions = ClientOptions;

/**
 * A rate limiter shared beyond one process or isolate (`rateLimit: limiter`). `key` names the
 * token at its origin (a hash, never the token). Before each attempt the client calls
 * `acquire`: `0` (or `waitMs: 0`) lets the attempt go and counts it in flight until `report`;
 * a positive `waitMs` makes the client wait (within the call's `timeoutMs`; past it the call
 * fails with `rate_limited`) and ask again. After each attempt it lets go, the client calls
 * `report` with what the response said (all `null` when no response came).
 */
export interface SharedRateLimiter {
  acquire(key: string): Promise<number | { waitMs: number; reset?: number | null; limit?: number | null }>;
  report(key: string, rateLimit: RateLimitInfo): void | Promise<void>;
}

export type AdminClientOptions = ClientOptions;

/** What the logging hooks see of an attempt. */
export interface RequestEvent {
  /** Registry id (`"analytics.pages"`). */
  endpoint: string;
  method: string;
  /** The full URL; the token is never part of it. */
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
}
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, or 0 when the attempt got no response. */
  status: number;
  durationMs: number;
}

/** The part of an `AbortSignal` the client uses (a DOM or Node `AbortSignal` fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Per-call options: the last argument of every method. */
export interface RequestOptions {
  /** Aborting rejects the call at once with `code: "aborted"` (during the request, a backoff or a rate-limit wait). */
  signal?: AbortSignalLike | null;
  /** This call's time budget in ms, retries and waits included (overrides the client's). */
  timeoutMs?: number;
  /** This call's retries (overrides the client's). */
  maxRetries?: number;
  /** Extra request headers; `Authorization` cannot be set. */
  headers?: Record<string, string>;
}

/**
 * The runtime's `AbortSignal` type where the project declares one (the DOM lib,
 * @types/node, Deno, workers-types), so the global `fetch` and wrappers of it type-check as
 * `ClientOptions.fetch`; else the part of it the client uses.
 */
export type RuntimeAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : AbortSignalLike;

/** What the client passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: RuntimeAbortSignal;
}
/** The part of a `Response` the client reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null; forEach?(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/** `X-RateLimit-*` as the server reported it. `reset` is in Unix seconds. */
export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
}

/** A call's result with the response it came from. */
export interface WithResponse<T> {
  data: T;
  response: { status: number; headers: Record<string, string> };
  rateLimit: RateLimitInfo;
}
/** What every method returns: a promise of the result, which can also give the response. */
export interface DataFastPromise<T> extends Promise<T> {
  /** The result with the response's status and headers and the rate-limit state. */
  withResponse(): Promise<WithResponse<T>>;
}
/** What paginated methods return: also iterable over every row of every page. */
export interface PagePromise<P extends Page<unknown>> extends DataFastPromise<P> {
  [Symbol.asyncIterator](): AsyncIterator<RowOf<P>>;
  /** Rows from this page on, fetching pages as needed, up to `limit`. */
  toArray(options?: { limit?: number }): Promise<RowOf<P>[]>;
}
export type RowOf<P> = P extends Page<infer Row> ? Row : never;

/** Every failure: thrown before sending (status 0), transport failures (status 0) and API errors. */
export declare class DataFastError extends Error {
  readonly name: "DataFastError";
  /** HTTP status, or 0 when no response was received. */
  readonly status: number;
  readonly code: DataFastErrorCode;
  /** Registry id of the endpoint called (`"analytics.overview"`). */
  readonly endpoint: string | null;
  /** Whether this client retries this failure of this request (it may have run out of attempts or time). */
  readonly retryable: boolean;
  /** The input field at fault (`"filters.country"`), for `invalid_params` and `invalid_options`. */
  readonly field: string | null;
  readonly rateLimit: RateLimitInfo | null;
  /** The failing response's headers (lower-case names), when there was a response. */
  readonly headers: Record<string, string> | null;
  /** The runtime's error for network failures; the signal's reason for `aborted`. */
  readonly cause?: unknown;
  toJSON(): {
    name: "DataFastError"; message: string; status: number; code: DataFastErrorCode; endpoint: string | null;
    retryable: boolean; field: string | null; rateLimit: RateLimitInfo | null; headers: Record<string, string> | null;
  };
}

/**
 * A page of a paginated endpoint: `data`, `pagination` and the endpoint's documented sibling
 * keys (declared by its own type: `TimeseriesPage.totals`, `AlertHistory.counts`), plus helpers that fetch the following pages with the same query.
 *
 * ```ts
 * for await (const row of website.analytics.pages({ limit: 1000 })) console.log(row.path);
 * for await (const page of (await website.visitors.list()).pages()) console.log(page.data.length);
 * const top = await website.analytics.pages().toArray({ limit: 250 });
 * ```
 */
export interface Page<Row> {
  data: Row[];
  /** Absent on alert history, which is a single page. */
  pagination?: Pagination;
  /** Whether a following page exists. */
  hasNextPage(): boolean;
  /** The following page, or `null` after the last one. */
  nextPage(options?: RequestOptions): Promise<this | null>;
  /** This page and every following one, fetched one at a time. */
  pages(): AsyncIterableIterator<this>;
  /** Every row from this page on, fetching pages as needed. */
  [Symbol.asyncIterator](): AsyncIterator<Row>;
  /** Rows from this page on, fetching pages as needed, up to `limit`. */
  toArray(options?: { limit?: number }): Promise<Row[]>;
}

export type FilterValue = string | number | boolean | ReadonlyArray<string | number | boolean>;
/** A bare value means `is`; several values are OR-ed. */
export type FilterCondition =
  | FilterValue
  | { is: FilterValue }
  | { is_not: FilterValue }
  | { contains: FilterValue }
  | { does_not_contain: FilterValue };
/** `{ country: "US", page: { contains: "/docs" } }` → `filter_country=US&filter_page=contains:/docs`. */
export type Filters = { [D in FilterDimension]?: FilterCondition };

/** One value or several. */
export type OneOrMany<T> = T | readonly T[];

/** A funnel step as sent: a page visit or a goal completion. */
export type FunnelStepInput =
  | { name: string; type: "pageview"; /** Path such as `/pricing`. */ url: string; id?: string }
  | { name: string; type: "goal"; /** ≤ 32 characters, goal-name rules. */ goalName: string; id?: string };

// The result types of every endpoint are generated into results.d.ts.
