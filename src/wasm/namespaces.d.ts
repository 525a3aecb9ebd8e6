// Generated from the endpoint registry by src/typescript.rs. Do not edit.

export type DataFastErrorCode = "invalid_options" | "invalid_token" | "token_not_allowed" | "missing_website_id" | "invalid_params" | "browser_not_allowed" | "client_closed" | "timeout" | "network_error" | "aborted" | "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "request_timeout" | "conflict" | "payload_too_large" | "rate_limited" | "server_error" | "http_error" | "invalid_response";
export type FilterDimension = "country" | "region" | "city" | "device" | "browser" | "os" | "referrer" | "page" | "entry_page" | "hostname" | "goal" | "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "ref" | "source" | "via";
export type Permission = "analytics:read" | "goals:read" | "goals:write" | "payments:read" | "payments:write" | "identify:write" | "websites:read" | "websites:write" | "settings:read" | "settings:write" | "funnels:read" | "funnels:write" | "alerts:read" | "alerts:write" | "team:read" | "team:write" | "api-keys:read" | "api-keys:write" | "*";
export type GoalColor = "#ef4444" | "#f97316" | "#eab308" | "#22c55e" | "#14b8a6" | "#8dcdff" | "#3b82f6" | "#8b5cf6" | "#ec4899" | "#6b7280";
export type WebsiteEndpointId = "analytics.overview" | "analytics.timeseries" | "analytics.realtime" | "analytics.realtime_map" | "analytics.metadata" | "analytics.pages" | "analytics.referrers" | "analytics.countries" | "analytics.regions" | "analytics.cities" | "analytics.devices" | "analytics.browsers" | "analytics.operating_systems" | "analytics.campaigns" | "analytics.hostnames" | "analytics.goals" | "analytics.funnel" | "visitors.list" | "visitors.get" | "goals.create" | "goals.delete" | "payments.create" | "payments.delete" | "identify";
export type AdminEndpointId = "admin.account.get" | "admin.account.update" | "admin.tokens.list" | "admin.tokens.create" | "admin.tokens.delete" | "admin.websites.list" | "admin.websites.create" | "admin.websites.get" | "admin.websites.update" | "admin.websites.delete" | "admin.apikeys.list" | "admin.apikeys.create" | "admin.apikeys.roll" | "admin.apikeys.delete" | "admin.goals.tracked" | "admin.goals.customizations.list" | "admin.goals.customizations.update" | "admin.goals.customizations.delete" | "admin.funnels.list" | "admin.funnels.create" | "admin.funnels.update" | "admin.funnels.delete" | "admin.alerts.list" | "admin.alerts.create" | "admin.alerts.update" | "admin.alerts.delete" | "admin.alerts.history" | "admin.team.list" | "admin.team.invite" | "admin.team.remove" | "admin.integrations.get" | "admin.integrations.stripe.connect" | "admin.integrations.stripe.disconnect" | "admin.integrations.lemonsqueezy.connect" | "admin.integrations.lemonsqueezy.disconnect" | "admin.integrations.polar.connect" | "admin.integrations.polar.disconnect" | "admin.integrations.paddle.connect" | "admin.integrations.paddle.disconnect" | "admin.integrations.shopify.disconnect" | "admin.integrations.woocommerce.disconnect";

/** Input of `analytics.overview` (`GET /analytics/overview`). */
export interface AnalyticsOverviewParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Only these fields (default all). */
  fields?: OneOrMany<"visitors" | "sessions" | "bounce_rate" | "avg_session_duration" | "currency" | "revenue" | "payments" | "revenue_per_visitor" | "conversion_rate">;
}

/** Input of `analytics.timeseries` (`GET /analytics/timeseries`). */
export interface AnalyticsTimeseriesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Metrics per bucket (`revenue` adds `payments`). */
  fields: OneOrMany<"name" | "visitors" | "sessions" | "revenue" | "payments" | "conversion_rate">;
  /** Bucket size; a one-day range becomes `hour`. */
  interval: "hour" | "day" | "week" | "month";
}

/** Input of `analytics.realtime` (`GET /analytics/realtime`). */
export interface AnalyticsRealtimeParams {
  /** Only these fields (default all). */
  fields?: OneOrMany<"visitors">;
}

/** Input of `analytics.metadata` (`GET /analytics/metadata`). */
export interface AnalyticsMetadataParams {
  /** Only these fields (default all). */
  fields?: OneOrMany<"domain" | "timezone" | "name" | "logo" | "kpiColorScheme" | "kpi" | "currency">;
}

/** Input of `analytics.pages` (`GET /analytics/pages`). */
export interface AnalyticsPagesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"hostname" | "path" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.referrers` (`GET /analytics/referrers`). */
export interface AnalyticsReferrersParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"referrer" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.countries` (`GET /analytics/countries`). */
export interface AnalyticsCountriesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"country" | "image" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.regions` (`GET /analytics/regions`). */
export interface AnalyticsRegionsParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"region" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.cities` (`GET /analytics/cities`). */
export interface AnalyticsCitiesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"city" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.devices` (`GET /analytics/devices`). */
export interface AnalyticsDevicesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"device" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.browsers` (`GET /analytics/browsers`). */
export interface AnalyticsBrowsersParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"browser" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.operating_systems` (`GET /analytics/operating-systems`). */
export interface AnalyticsOperatingSystemsParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"operating_system" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.campaigns` (`GET /analytics/campaigns`). */
export interface AnalyticsCampaignsParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"campaign" | "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "ref" | "source" | "via" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.hostnames` (`GET /analytics/hostnames`). */
export interface AnalyticsHostnamesParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"hostname" | "visitors" | "revenue" | "payments">;
}

/** Input of `analytics.goals` (`GET /analytics/goals`). */
export interface AnalyticsGoalsParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
  /** Rows per page, 1–1000 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Only these fields (default all). */
  fields?: OneOrMany<"name" | "completions" | "visitors">;
}

/** Input of `analytics.funnel` (`GET /analytics/funnels/{funnelId}`). */
export interface AnalyticsFunnelParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** `{ country: "US", page: { contains: "/docs" } }`; several values are OR-ed, filters AND-ed. */
  filters?: Filters;
}

/** Input of `visitors.list` (`GET /visitors`). */
export interface VisitorsListParams {
  /** `YYYY-MM-DD` (a day in `timezone`) or an ISO time with `Z`/offset; with `endAt`. */
  startAt?: string | Date;
  /** Inclusive end, same forms as `startAt`; with `startAt`. */
  endAt?: string | Date;
  /** IANA time zone for dates and buckets; default the website's. */
  timezone?: string;
  /** Rows per page, 1–250 (default 100). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
  /** Visited this exact path (several OR-ed; alias `page`). */
  visitedPage?: OneOrMany<string>;
  /** Alias of `visitedPage`. */
  page?: OneOrMany<string>;
  /** Visited a path containing this (alias `pageContains`). */
  visitedPageContains?: string;
  /** Alias of `visitedPageContains`. */
  pageContains?: string;
  /** Completed this goal (alias `goal`); not with `isCustomer`. */
  completedGoal?: string;
  /** Alias of `completedGoal`. */
  goal?: string;
  /** With (true) or without (false) payments (alias `hasRevenue`). */
  isCustomer?: boolean;
  /** Alias of `isCustomer`. */
  hasRevenue?: boolean;
  /** Country name(s) or ISO code(s), OR-ed; at most 50. */
  country?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  region?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  city?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  browser?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  os?: OneOrMany<string>;
  /** `desktop`, `mobile` or `tablet` (several OR-ed). */
  device?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  referrer?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  hostname?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  utm_source?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  utm_medium?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  utm_campaign?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  utm_term?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  utm_content?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  ref?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  source?: OneOrMany<string>;
  /** Exact value(s), OR-ed; at most 50. */
  via?: OneOrMany<string>;
}

/** Input of `goals.create` (`POST /goals`). */
export interface GoalsCreateParams {
  /** The visitor's `datafast_visitor_id` cookie. */
  datafast_visitor_id?: string;
  /** Alias of `datafast_visitor_id`. */
  visitorId?: string;
  /** Lowercase a–z, 0–9, `_`, `-`, `:`; ≤ 64; spaces become `_`; not `identify`. */
  name: string;
  /** Stored with the event. */
  description?: string;
  /** ≤ 10 keys matching `^[a-z0-9_-]+$`; string values ≤ 255 characters. */
  metadata?: Record<string, string>;
}

/** Input of `goals.delete` (`DELETE /goals`). */
export interface GoalsDeleteParams {
  /** The visitor's `datafast_visitor_id` cookie. */
  datafast_visitor_id?: string;
  /** Alias of `datafast_visitor_id`. */
  visitorId?: string;
  /** Delete goals of this name. */
  name?: string;
  /** Window start (ISO); with `endAt`. Sent as `start` too. */
  startAt?: string | Date;
  /** Window end (ISO); with `startAt`. Sent as `end` too. */
  endAt?: string | Date;
  /** Same as `startAt`. */
  start?: string | Date;
  /** Same as `endAt`. */
  end?: string | Date;
}

/** Input of `payments.create` (`POST /payments`). */
export interface PaymentsCreateParams {
  /** Major units (29.99); 0 records a free trial. */
  amount: number;
  /** ISO 4217 code (`USD`). */
  currency: string;
  /** Idempotency key: posting it again records nothing new. */
  transaction_id: string;
  /** The visitor's `datafast_visitor_id` cookie, for attribution. */
  datafast_visitor_id?: string;
  /** Alias of `datafast_visitor_id`. */
  visitorId?: string;
  /** Customer e-mail. */
  email?: string;
  /** Alias of `email`. */
  customer_email?: string;
  /** Customer name. */
  name?: string;
  /** Alias of `name`. */
  customer_name?: string;
  /** Your customer id. */
  customer_id?: string;
  /** A subscription renewal (default false). */
  renewal?: boolean;
  /** A refund (default false). */
  refunded?: boolean;
  /** A free trial (also implied by amount 0). */
  is_free_trial?: boolean;
  /** When it happened (ISO); default now. */
  timestamp?: string | Date;
}

/** Input of `payments.delete` (`DELETE /payments`). */
export interface PaymentsDeleteParams {
  /** Delete this one payment (other parameters are then ignored). */
  transaction_id?: string;
  /** Alias of `transaction_id`. */
  tx_id?: string;
  /** The visitor's `datafast_visitor_id` cookie, for attribution. */
  datafast_visitor_id?: string;
  /** Alias of `datafast_visitor_id`. */
  visitorId?: string;
  /** Window start (ISO); with `endAt`. Sent as `start` too. */
  startAt?: string | Date;
  /** Window end (ISO); with `startAt`. Sent as `end` too. */
  endAt?: string | Date;
  /** Same as `startAt`. */
  start?: string | Date;
  /** Same as `endAt`. */
  end?: string | Date;
}

/** Input of `identify` (`POST /identify`). */
export interface IdentifyParams {
  /** Your user id, 1–255 characters. */
  user_id: string;
  /** The visitor's `datafast_visitor_id` cookie. */
  datafast_visitor_id?: string;
  /** Alias of `datafast_visitor_id`. */
  visitorId?: string;
  /** Any other key is stored on the profile (≤ 10 keys; text ≤ 255 characters). */
  [field: string]: string | number | boolean | null | undefined;
}

/** Input of `account.update` (`PUT /admin/account`). */
export interface AccountUpdateParams {
  /** 1–100 characters. */
  name: string;
}

/** Input of `tokens.create` (`POST /admin/access-tokens`). */
export interface TokensCreateParams {
  /** A label. */
  name?: string | null;
  /** Default `["*"]`; at most the caller's own. */
  permissions?: readonly Permission[];
  /** Allowed websites; `[]` (default) = all the caller can reach. */
  websiteIds?: readonly string[];
}

/** Input of `websites.create` (`POST /admin/websites`). */
export interface WebsitesCreateParams {
  /** Bare domain such as `example.com`, no scheme. */
  domain: string;
  /** IANA time zone. */
  timezone: string;
  /** Display name. */
  name?: string;
}

/** Input of `websites.update` (`PUT /admin/websites/{websiteId}`). */
export interface WebsitesUpdateParams {
  /** Bare domain. */
  domain?: string;
  /** Display name; null clears it. */
  name?: string | null;
  /** IANA time zone. */
  timezone?: string;
  /** ISO 4217 code. */
  currency?: string;
  /** A tracked goal name. */
  kpi?: string | null;
  /** Dashboard color. */
  kpiColorScheme?: "red" | "orange" | "yellow" | "green" | "purple" | "pink" | "gray" | "blue" | "teal" | "indigo";
  /** Revenue shown as total or MRR. */
  revenueMetric?: "revenue" | "mrr";
  sendWeeklyReports?: boolean;
  sendViralTrafficAlerts?: boolean;
  isPublicDashboardEnabled?: boolean;
  isPublicDataEnabled?: boolean;
  isCookieless?: boolean;
  isAttackModeEnabled?: boolean;
  includeRenewalRevenue?: boolean;
  isAllHostnamesAllowed?: boolean;
  allowedHostnames?: readonly string[];
  excludedIps?: readonly string[];
  excludedPaths?: readonly string[];
  excludedCountries?: readonly string[];
  excludedHostnames?: readonly string[];
}

/** Input of `apikeys.create` (`POST /admin/websites/{websiteId}/apikeys`). */
export interface ApikeysCreateParams {
  /** A label. */
  name?: string | null;
}

/** Input of `goals.customizations.list` (`GET /admin/websites/{websiteId}/goals/customizations`). */
export interface GoalsCustomizationsListParams {
  /** Only this goal's customization. */
  goalName?: string;
}

/** Input of `goals.customizations.update` (`PATCH /admin/websites/{websiteId}/goals/customizations`). */
export interface GoalsCustomizationsUpdateParams {
  /** The goal to customize. */
  goalName: string;
  /** ≤ 80; null clears. */
  displayName?: string | null;
  /** A palette color (see `colors` of the list); null clears. */
  color?: GoalColor | null;
  /** ≤ 300; null clears. */
  description?: string | null;
}

/** Input of `goals.customizations.delete` (`DELETE /admin/websites/{websiteId}/goals/customizations`). */
export interface GoalsCustomizationsDeleteParams {
  /** The goal whose customization to delete. */
  goalName: string;
}

/** Input of `funnels.create` (`POST /admin/websites/{websiteId}/funnels`). */
export interface FunnelsCreateParams {
  /** Unique per website. */
  name: string;
  /** 2–8 steps: `{ name, type: "pageview", url }` or `{ name, type: "goal", goalName }`. */
  steps: readonly FunnelStepInput[];
}

/** Input of `funnels.update` (`PUT /admin/websites/{websiteId}/funnels/{funnelId}`). */
export interface FunnelsUpdateParams {
  /** Unique per website. */
  name?: string;
  /** 2–8 steps: `{ name, type: "pageview", url }` or `{ name, type: "goal", goalName }`. */
  steps?: readonly FunnelStepInput[];
  /** false hides the funnel, true brings it back. */
  isActive?: boolean;
}

/** Input of `alerts.create` (`POST /admin/websites/{websiteId}/alerts`). */
export interface AlertsCreateParams {
  /** 1–100 characters. */
  name: string;
  /** `{ goalName }`. */
  trigger: { /** The goal whose completion sends the alert (lowercased and trimmed). */ goalName: string; /** Always `goal`, as alert records show it. */ type?: "goal"; };
  /** `{ subject?, message }`. */
  template: { /** E-mail subject; a default when omitted. */ subject?: string | null; /** E-mail text, 10–2000 characters. */ message: string; };
  /** Default true. */
  isEnabled?: boolean;
  /** `{ type: "email" }` (the only one). */
  destination?: { /** Always `email`. */ type: "email"; };
}

/** Input of `alerts.update` (`PUT /admin/websites/{websiteId}/alerts/{alertId}`). */
export interface AlertsUpdateParams {
  /** 1–100 characters. */
  name?: string;
  /** `{ goalName }`. */
  trigger?: { /** The goal whose completion sends the alert (lowercased and trimmed). */ goalName: string; /** Always `goal`, as alert records show it. */ type?: "goal"; };
  /** `{ subject?, message? }`. */
  template?: { /** E-mail subject; a default when omitted. */ subject?: string | null; /** E-mail text, 10–2000 characters. */ message?: string; };
  isEnabled?: boolean;
  /** `{ type: "email" }` (the only one). */
  destination?: { /** Always `email`. */ type: "email"; };
}

/** Input of `alerts.history` (`GET /admin/websites/{websiteId}/alerts/history`). */
export interface AlertsHistoryParams {
  /** Only this alert's history. */
  alertId?: string;
  /** Entries, 1–100 (default 50). */
  limit?: number;
}

/** Input of `team.invite` (`POST /admin/websites/{websiteId}/team`). */
export interface TeamInviteParams {
  /** Who to invite. */
  email: string;
  /** Default `viewer`. */
  role?: "viewer" | "member";
}

/** Input of `team.remove` (`DELETE /admin/websites/{websiteId}/team`). */
export interface TeamRemoveParams {
  /** A member's `userId` from the team list. */
  userId: string;
}

/** Input of `integrations.stripe.connect` (`POST /admin/websites/{websiteId}/integrations/stripe`). */
export interface IntegrationsStripeConnectParams {
  /** A live Stripe restricted key (`rk_live_…`); never echoed back. */
  stripeRak: `rk_live_${string}`;
}

/** Input of `integrations.lemonsqueezy.connect` (`POST /admin/websites/{websiteId}/integrations/lemonsqueezy`). */
export interface IntegrationsLemonsqueezyConnectParams {
  /** Lemon Squeezy API key; never echoed back. */
  lemonsqueezyApiKey: string;
  /** Store id. */
  lemonsqueezyStoreId: string;
}

/** Input of `integrations.polar.connect` (`POST /admin/websites/{websiteId}/integrations/polar`). */
export interface IntegrationsPolarConnectParams {
  /** Polar access token; never echoed back. */
  polarAccessToken: string;
  /** Organization id. */
  polarOrgId: string;
}

/** Input of `integrations.paddle.connect` (`POST /admin/websites/{websiteId}/integrations/paddle`). */
export interface IntegrationsPaddleConnectParams {
  /** A live Paddle API key (`pdl_live_…`). */
  paddleApiKey: `pdl_live_${string}`;
}

export interface WebsiteClient {
  /** Calls an endpoint by its registry id: path ids, then parameters, then options. */
  request(endpointId: WebsiteEndpointId, ...args: unknown[]): DataFastPromise<unknown>;
  /** `POST /identify` (identify) */
  identify(params: IdentifyParams | null, options?: RequestOptions): DataFastPromise<Identified>;
  readonly analytics: {
    /** `GET /analytics/browsers` (analytics.browsers) */
    browsers(params?: AnalyticsBrowsersParams | null, options?: RequestOptions): PagePromise<Page<BrowserRow>>;
    /** `GET /analytics/campaigns` (analytics.campaigns) */
    campaigns(params?: AnalyticsCampaignsParams | null, options?: RequestOptions): PagePromise<Page<CampaignRow>>;
    /** `GET /analytics/cities` (analytics.cities) */
    cities(params?: AnalyticsCitiesParams | null, options?: RequestOptions): PagePromise<Page<CityRow>>;
    /** `GET /analytics/countries` (analytics.countries) */
    countries(params?: AnalyticsCountriesParams | null, options?: RequestOptions): PagePromise<Page<CountryRow>>;
    /** `GET /analytics/devices` (analytics.devices) */
    devices(params?: AnalyticsDevicesParams | null, options?: RequestOptions): PagePromise<Page<DeviceRow>>;
    /** `GET /analytics/funnels/{funnelId}` (analytics.funnel) */
    funnel(funnelId: string, params?: AnalyticsFunnelParams | null, options?: RequestOptions): DataFastPromise<FunnelReport>;
    /** `GET /analytics/goals` (analytics.goals) */
    goals(params?: AnalyticsGoalsParams | null, options?: RequestOptions): PagePromise<Page<GoalRow>>;
    /** `GET /analytics/hostnames` (analytics.hostnames) */
    hostnames(params?: AnalyticsHostnamesParams | null, options?: RequestOptions): PagePromise<Page<HostnameRow>>;
    /** `GET /analytics/metadata` (analytics.metadata) */
    metadata(params?: AnalyticsMetadataParams | null, options?: RequestOptions): DataFastPromise<WebsiteMetadata>;
    /** `GET /analytics/operating-systems` (analytics.operating_systems) */
    operatingSystems(params?: AnalyticsOperatingSystemsParams | null, options?: RequestOptions): PagePromise<Page<OperatingSystemRow>>;
    /** `GET /analytics/overview` (analytics.overview) */
    overview(params?: AnalyticsOverviewParams | null, options?: RequestOptions): DataFastPromise<Overview>;
    /** `GET /analytics/pages` (analytics.pages) */
    pages(params?: AnalyticsPagesParams | null, options?: RequestOptions): PagePromise<Page<PageRow>>;
    /** `GET /analytics/realtime` (analytics.realtime) */
    realtime(params?: AnalyticsRealtimeParams | null, options?: RequestOptions): DataFastPromise<Realtime>;
    /** `GET /analytics/realtime/map` (analytics.realtime_map) */
    realtimeMap(options?: RequestOptions): DataFastPromise<RealtimeMap>;
    /** `GET /analytics/referrers` (analytics.referrers) */
    referrers(params?: AnalyticsReferrersParams | null, options?: RequestOptions): PagePromise<Page<ReferrerRow>>;
    /** `GET /analytics/regions` (analytics.regions) */
    regions(params?: AnalyticsRegionsParams | null, options?: RequestOptions): PagePromise<Page<RegionRow>>;
    /** `GET /analytics/timeseries` (analytics.timeseries) */
    timeseries(params: AnalyticsTimeseriesParams | null, options?: RequestOptions): PagePromise<TimeseriesPage>;
  };
  readonly goals: {
    /** `POST /goals` (goals.create) */
    create(params: GoalsCreateParams | null, options?: RequestOptions): DataFastPromise<GoalCreated>;
    /** `DELETE /goals` (goals.delete) */
    delete(params: GoalsDeleteParams | null, options?: RequestOptions): DataFastPromise<Deleted>;
  };
  readonly payments: {
    /** `POST /payments` (payments.create) */
    create(params: PaymentsCreateParams | null, options?: RequestOptions): DataFastPromise<PaymentRecorded>;
    /** `DELETE /payments` (payments.delete) */
    delete(params: PaymentsDeleteParams | null, options?: RequestOptions): DataFastPromise<Deleted>;
  };
  readonly visitors: {
    /** `GET /visitors/{visitorId}` (visitors.get) */
    get(visitorId: string, options?: RequestOptions): DataFastPromise<VisitorDetail>;
    /** `GET /visitors` (visitors.list) */
    list(params?: VisitorsListParams | null, options?: RequestOptions): PagePromise<Page<VisitorRow>>;
  };
}

export interface AdminClient {
  /** Calls an endpoint by its registry id: path ids, then parameters, then options. */
  request(endpointId: AdminEndpointId, ...args: unknown[]): DataFastPromise<unknown>;
  readonly account: {
    /** `GET /admin/account` (admin.account.get) */
    get(options?: RequestOptions): DataFastPromise<Account>;
    /** `PUT /admin/account` (admin.account.update) */
    update(params: AccountUpdateParams | null, options?: RequestOptions): DataFastPromise<AccountUpdated>;
  };
  readonly alerts: {
    /** `POST /admin/websites/{websiteId}/alerts` (admin.alerts.create) */
    create(websiteId: string, params: AlertsCreateParams | null, options?: RequestOptions): DataFastPromise<Alert>;
    /** `DELETE /admin/websites/{websiteId}/alerts/{alertId}` (admin.alerts.delete) */
    delete(websiteId: string, alertId: string, options?: RequestOptions): DataFastPromise<Message>;
    /** `GET /admin/websites/{websiteId}/alerts/history` (admin.alerts.history) */
    history(websiteId: string, params?: AlertsHistoryParams | null, options?: RequestOptions): PagePromise<AlertHistory>;
    /** `GET /admin/websites/{websiteId}/alerts` (admin.alerts.list) */
    list(websiteId: string, options?: RequestOptions): DataFastPromise<Alert[]>;
    /** `PUT /admin/websites/{websiteId}/alerts/{alertId}` (admin.alerts.update) */
    update(websiteId: string, alertId: string, params?: AlertsUpdateParams | null, options?: RequestOptions): DataFastPromise<Alert>;
  };
  readonly apikeys: {
    /** `POST /admin/websites/{websiteId}/apikeys` (admin.apikeys.create) */
    create(websiteId: string, params?: ApikeysCreateParams | null, options?: RequestOptions): DataFastPromise<ApiKeyCreated>;
    /** `DELETE /admin/websites/{websiteId}/apikeys/{apiKeyId}` (admin.apikeys.delete) */
    delete(websiteId: string, apiKeyId: string, options?: RequestOptions): DataFastPromise<{ deleted: boolean }>;
    /** `GET /admin/websites/{websiteId}/apikeys` (admin.apikeys.list) */
    list(websiteId: string, options?: RequestOptions): DataFastPromise<ApiKey[]>;
    /** `PUT /admin/websites/{websiteId}/apikeys/{apiKeyId}` (admin.apikeys.roll) */
    roll(websiteId: string, apiKeyId: string, options?: RequestOptions): DataFastPromise<ApiKeyCreated>;
  };
  readonly funnels: {
    /** `POST /admin/websites/{websiteId}/funnels` (admin.funnels.create) */
    create(websiteId: string, params: FunnelsCreateParams | null, options?: RequestOptions): DataFastPromise<Funnel>;
    /** `DELETE /admin/websites/{websiteId}/funnels/{funnelId}` (admin.funnels.delete) */
    delete(websiteId: string, funnelId: string, options?: RequestOptions): DataFastPromise<Message>;
    /** `GET /admin/websites/{websiteId}/funnels` (admin.funnels.list) */
    list(websiteId: string, options?: RequestOptions): DataFastPromise<Funnel[]>;
    /** `PUT /admin/websites/{websiteId}/funnels/{funnelId}` (admin.funnels.update) */
    update(websiteId: string, funnelId: string, params?: FunnelsUpdateParams | null, options?: RequestOptions): DataFastPromise<Funnel>;
  };
  readonly goals: {
    /** `GET /admin/websites/{websiteId}/goals` (admin.goals.tracked) */
    tracked(websiteId: string, options?: RequestOptions): DataFastPromise<TrackedGoal[]>;
    readonly customizations: {
      /** `DELETE /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.delete) */
      delete(websiteId: string, params: GoalsCustomizationsDeleteParams | null, options?: RequestOptions): DataFastPromise<{ deleted: boolean; goalName: string }>;
      /** `GET /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.list) */
      list(websiteId: string, params?: GoalsCustomizationsListParams | null, options?: RequestOptions): DataFastPromise<GoalCustomizations>;
      /** `PATCH /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.update) */
      update(websiteId: string, params: GoalsCustomizationsUpdateParams | null, options?: RequestOptions): DataFastPromise<GoalCustomization>;
    };
  };
  readonly integrations: {
    /** `GET /admin/websites/{websiteId}/integrations` (admin.integrations.get) */
    get(websiteId: string, options?: RequestOptions): DataFastPromise<Integrations>;
    readonly lemonsqueezy: {
      /** `POST /admin/websites/{websiteId}/integrations/lemonsqueezy` (admin.integrations.lemonsqueezy.connect) */
      connect(websiteId: string, params: IntegrationsLemonsqueezyConnectParams | null, options?: RequestOptions): DataFastPromise<IntegrationConnected>;
      /** `DELETE /admin/websites/{websiteId}/integrations/lemonsqueezy` (admin.integrations.lemonsqueezy.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
    readonly paddle: {
      /** `POST /admin/websites/{websiteId}/integrations/paddle` (admin.integrations.paddle.connect) */
      connect(websiteId: string, params: IntegrationsPaddleConnectParams | null, options?: RequestOptions): DataFastPromise<IntegrationConnected>;
      /** `DELETE /admin/websites/{websiteId}/integrations/paddle` (admin.integrations.paddle.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
    readonly polar: {
      /** `POST /admin/websites/{websiteId}/integrations/polar` (admin.integrations.polar.connect) */
      connect(websiteId: string, params: IntegrationsPolarConnectParams | null, options?: RequestOptions): DataFastPromise<IntegrationConnected>;
      /** `DELETE /admin/websites/{websiteId}/integrations/polar` (admin.integrations.polar.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
    readonly shopify: {
      /** `DELETE /admin/websites/{websiteId}/integrations/shopify` (admin.integrations.shopify.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
    readonly stripe: {
      /** `POST /admin/websites/{websiteId}/integrations/stripe` (admin.integrations.stripe.connect) */
      connect(websiteId: string, params: IntegrationsStripeConnectParams | null, options?: RequestOptions): DataFastPromise<IntegrationConnected>;
      /** `DELETE /admin/websites/{websiteId}/integrations/stripe` (admin.integrations.stripe.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
    readonly woocommerce: {
      /** `DELETE /admin/websites/{websiteId}/integrations/woocommerce` (admin.integrations.woocommerce.disconnect) */
      disconnect(websiteId: string, options?: RequestOptions): DataFastPromise<Message>;
    };
  };
  readonly team: {
    /** `POST /admin/websites/{websiteId}/team` (admin.team.invite) */
    invite(websiteId: string, params: TeamInviteParams | null, options?: RequestOptions): DataFastPromise<Invitation>;
    /** `GET /admin/websites/{websiteId}/team` (admin.team.list) */
    list(websiteId: string, options?: RequestOptions): DataFastPromise<TeamMember[]>;
    /** `DELETE /admin/websites/{websiteId}/team` (admin.team.remove) */
    remove(websiteId: string, params: TeamRemoveParams | null, options?: RequestOptions): DataFastPromise<Message>;
  };
  readonly tokens: {
    /** `POST /admin/access-tokens` (admin.tokens.create) */
    create(params?: TokensCreateParams | null, options?: RequestOptions): DataFastPromise<AccessTokenCreated>;
    /** `DELETE /admin/access-tokens/{tokenId}` (admin.tokens.delete) */
    delete(tokenId: string, options?: RequestOptions): DataFastPromise<Message>;
    /** `GET /admin/access-tokens` (admin.tokens.list) */
    list(options?: RequestOptions): DataFastPromise<AccessToken[]>;
  };
  readonly websites: {
    /** `POST /admin/websites` (admin.websites.create) */
    create(params: WebsitesCreateParams | null, options?: RequestOptions): DataFastPromise<WebsiteCreated>;
    /** `DELETE /admin/websites/{websiteId}` (admin.websites.delete) */
    delete(websiteId: string, options?: RequestOptions): DataFastPromise<never>;
    /** `GET /admin/websites/{websiteId}` (admin.websites.get) */
    get(websiteId: string, options?: RequestOptions): DataFastPromise<WebsiteSettings>;
    /** `GET /admin/websites` (admin.websites.list) */
    list(options?: RequestOptions): DataFastPromise<Website[]>;
    /** `PUT /admin/websites/{websiteId}` (admin.websites.update) */
    update(websiteId: string, params?: WebsitesUpdateParams | null, options?: RequestOptions): DataFastPromise<WebsiteSettings>;
  };
}
