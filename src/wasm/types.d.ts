/** Options of both clients. */
export interface ClientOptions {
  /** A `df_` website API key or a `dft_` account access token. Never echoed in errors, logs or `toJSON`. */
  token: string;
  /** The website a `dft_` token acts on for Website API routes (required then on `WebsiteClient`). */
  websiteId?: string;
  /** API origin; defaults to `https://datafa.st`. Point it at the emulator for local work. */
  baseUrl?: string;
  /** Abort a request (including reading its body) after this many milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Retries of transient failures (network, timeout, 408, 429, 5xx). Default 2, at most 10. */
  maxRetries?: number;
  /** A `fetch` to use instead of `globalThis.fetch` (for tests, proxies, instrumentation). */
  fetch?: (url: string, init: FetchInit) => Promise<ResponseLike>;
  /** Allow construction in a browser page, where the token is visible to every visitor. */
  dangerouslyAllowBrowser?: boolean;
}
export type WebsiteClientOptions = ClientOptions;
export type AdminClientOptions = ClientOptions;

/** What the client passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: unknown;
}
/** The part of a `Response` the client reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** `X-RateLimit-*` as the server reported it. `reset` is in Unix seconds. */
export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
}

/** Every failure: thrown before sending (status 0), transport failures (status 0) and API errors. */
export declare class DataFastError extends Error {
  readonly name: "DataFastError";
  /** HTTP status, or 0 when no response was received. */
  readonly status: number;
  readonly code: DataFastErrorCode;
  /** Registry id of the endpoint called (`"analytics.overview"`). */
  readonly endpoint: string | null;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  /** The input field at fault (`"filters.country"`), for `invalid_params`. */
  readonly field: string | null;
  readonly rateLimit: RateLimitInfo | null;
}

export interface Pagination {
  limit: number;
  offset: number;
  /** Rows available (breakdowns, timeseries). */
  total?: number;
  /** Whether more rows follow (visitors list). */
  hasMore?: boolean;
}
/** A page of a paginated endpoint: `data`, `pagination` and the endpoint's sibling keys. */
export interface Page<Row> {
  data: Row[];
  pagination: Pagination;
  [sibling: string]: unknown;
}

export type FilterValue = string | number | boolean | Array<string | number | boolean>;
/** A bare value means `is`; several values are OR-ed. */
export type FilterCondition =
  | FilterValue
  | { is: FilterValue }
  | { is_not: FilterValue }
  | { contains: FilterValue }
  | { does_not_contain: FilterValue };
/** `{ country: "US", page: { contains: "/docs" } }` → `filter_country=US&filter_page=contains:/docs`. */
export type Filters = { [D in FilterDimension]?: FilterCondition };

export interface AnalyticsQuery {
  /** `YYYY-MM-DD` or an ISO time with `Z`/offset (or a `Date`); together with `endAt`. */
  startAt?: string | Date;
  endAt?: string | Date;
  /** IANA time zone; defaults to the website's. */
  timezone?: string;
  fields?: string | string[];
  filters?: Filters;
  [param: string]: unknown;
}
export interface BreakdownQuery extends AnalyticsQuery {
  /** 1–1000, default 100. */
  limit?: number;
  offset?: number;
}

export interface Overview {
  visitors: number;
  sessions: number;
  /** Percent. */
  bounce_rate: number;
  /** Milliseconds. */
  avg_session_duration: number;
  /** Currency symbol. */
  currency: string;
  revenue: number;
  payments: number;
  revenue_per_visitor: number;
  /** Percent. */
  conversion_rate: number;
}
export interface PageRow {
  hostname: string;
  path: string;
  visitors: number;
  revenue: number;
  payments: number;
}

export interface GoalEvent {
  /** The visitor's `datafast_visitor_id` cookie (or pass `visitorId`). */
  datafast_visitor_id?: string;
  visitorId?: string;
  /** Lowercase a–z, 0–9, `_`, `-`, `:`; ≤ 64; spaces become `_`; `identify` is reserved. */
  name: string;
  description?: string;
  /** ≤ 10 keys matching `^[a-z0-9_-]+$`; string values ≤ 255 characters. */
  metadata?: Record<string, string>;
}
export interface GoalCreated {
  message: string;
  eventId: string;
}

export interface Account {
  _id: string;
  name: string | null;
  email: string;
  image: string | null;
  hasAccess: boolean;
  planType: string | null;
  isFreeTrialActive: boolean;
  freeTrialStartAt: string | null;
  billingCycleStartAt: string | null;
  billingCycleEndAt: string | null;
  /** Present when the client uses a `df_` key. */
  websiteId?: string;
}
export interface Website {
  _id: string;
  domain: string;
  name: string | null;
  trackingId: string;
  timezone: string;
  currency: string;
  role: "owner" | "member" | "viewer";
}
export interface WebsiteCreate {
  /** Bare domain, no scheme. */
  domain: string;
  /** IANA time zone. */
  timezone: string;
  name?: string;
}
export interface WebsiteCreated {
  websiteId: string;
  domain: string;
  trackingId: string;
}
