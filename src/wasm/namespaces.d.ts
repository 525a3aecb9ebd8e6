// Generated from the endpoint registry by src/typescript.rs. Do not edit.

export type DataFastErrorCode = "invalid_options" | "invalid_token" | "token_not_allowed" | "missing_website_id" | "invalid_params" | "browser_not_allowed" | "timeout" | "network_error" | "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "request_timeout" | "conflict" | "payload_too_large" | "rate_limited" | "server_error" | "http_error" | "invalid_response";
export type FilterDimension = "country" | "region" | "city" | "device" | "browser" | "os" | "referrer" | "page" | "entry_page" | "hostname" | "goal" | "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "ref" | "source" | "via";

export interface WebsiteClient {
  /** `POST /identify` (identify) */
  identify(params: Record<string, unknown>): Promise<Record<string, unknown>>;
  readonly analytics: {
    /** `GET /analytics/browsers` (analytics.browsers) */
    browsers(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/campaigns` (analytics.campaigns) */
    campaigns(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/cities` (analytics.cities) */
    cities(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/countries` (analytics.countries) */
    countries(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/devices` (analytics.devices) */
    devices(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/funnels/{funnelId}` (analytics.funnel) */
    funnel(funnelId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /analytics/goals` (analytics.goals) */
    goals(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/hostnames` (analytics.hostnames) */
    hostnames(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/metadata` (analytics.metadata) */
    metadata(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /analytics/operating-systems` (analytics.operating_systems) */
    operating_systems(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/overview` (analytics.overview) */
    overview(params?: AnalyticsQuery): Promise<Overview>;
    /** `GET /analytics/pages` (analytics.pages) */
    pages(params?: BreakdownQuery): Promise<Page<PageRow>>;
    /** `GET /analytics/realtime` (analytics.realtime) */
    realtime(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /analytics/realtime/map` (analytics.realtime_map) */
    realtime_map(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /analytics/referrers` (analytics.referrers) */
    referrers(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/regions` (analytics.regions) */
    regions(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /analytics/timeseries` (analytics.timeseries) */
    timeseries(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
  };
  readonly goals: {
    /** `POST /goals` (goals.create) */
    create(params: GoalEvent): Promise<GoalCreated>;
    /** `DELETE /goals` (goals.delete) */
    delete(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly payments: {
    /** `POST /payments` (payments.create) */
    create(params: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `DELETE /payments` (payments.delete) */
    delete(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly visitors: {
    /** `GET /visitors/{visitorId}` (visitors.get) */
    get(visitorId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /visitors` (visitors.list) */
    list(params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
  };
}

export interface AdminClient {
  readonly account: {
    /** `GET /admin/account` (admin.account.get) */
    get(): Promise<Account>;
    /** `PUT /admin/account` (admin.account.update) */
    update(params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly alerts: {
    /** `POST /admin/websites/{websiteId}/alerts` (admin.alerts.create) */
    create(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `DELETE /admin/websites/{websiteId}/alerts/{alertId}` (admin.alerts.delete) */
    delete(websiteId: string, alertId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites/{websiteId}/alerts/history` (admin.alerts.history) */
    history(websiteId: string, params?: BreakdownQuery): Promise<Page<Record<string, unknown>>>;
    /** `GET /admin/websites/{websiteId}/alerts` (admin.alerts.list) */
    list(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
    /** `PUT /admin/websites/{websiteId}/alerts/{alertId}` (admin.alerts.update) */
    update(websiteId: string, alertId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly apikeys: {
    /** `POST /admin/websites/{websiteId}/apikeys` (admin.apikeys.create) */
    create(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `DELETE /admin/websites/{websiteId}/apikeys/{apiKeyId}` (admin.apikeys.delete) */
    delete(websiteId: string, apiKeyId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites/{websiteId}/apikeys` (admin.apikeys.list) */
    list(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
    /** `PUT /admin/websites/{websiteId}/apikeys/{apiKeyId}` (admin.apikeys.roll) */
    roll(websiteId: string, apiKeyId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly funnels: {
    /** `POST /admin/websites/{websiteId}/funnels` (admin.funnels.create) */
    create(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `DELETE /admin/websites/{websiteId}/funnels/{funnelId}` (admin.funnels.delete) */
    delete(websiteId: string, funnelId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites/{websiteId}/funnels` (admin.funnels.list) */
    list(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
    /** `PUT /admin/websites/{websiteId}/funnels/{funnelId}` (admin.funnels.update) */
    update(websiteId: string, funnelId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly goals: {
    /** `GET /admin/websites/{websiteId}/goals` (admin.goals.tracked) */
    tracked(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
    readonly customizations: {
      /** `DELETE /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.delete) */
      delete(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `GET /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.list) */
      list(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `PATCH /admin/websites/{websiteId}/goals/customizations` (admin.goals.customizations.update) */
      update(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
  };
  readonly integrations: {
    /** `GET /admin/websites/{websiteId}/integrations` (admin.integrations.get) */
    get(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    readonly lemonsqueezy: {
      /** `POST /admin/websites/{websiteId}/integrations/lemonsqueezy` (admin.integrations.lemonsqueezy.connect) */
      connect(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `DELETE /admin/websites/{websiteId}/integrations/lemonsqueezy` (admin.integrations.lemonsqueezy.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
    readonly paddle: {
      /** `POST /admin/websites/{websiteId}/integrations/paddle` (admin.integrations.paddle.connect) */
      connect(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `DELETE /admin/websites/{websiteId}/integrations/paddle` (admin.integrations.paddle.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
    readonly polar: {
      /** `POST /admin/websites/{websiteId}/integrations/polar` (admin.integrations.polar.connect) */
      connect(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `DELETE /admin/websites/{websiteId}/integrations/polar` (admin.integrations.polar.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
    readonly shopify: {
      /** `DELETE /admin/websites/{websiteId}/integrations/shopify` (admin.integrations.shopify.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
    readonly stripe: {
      /** `POST /admin/websites/{websiteId}/integrations/stripe` (admin.integrations.stripe.connect) */
      connect(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
      /** `DELETE /admin/websites/{websiteId}/integrations/stripe` (admin.integrations.stripe.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
    readonly woocommerce: {
      /** `DELETE /admin/websites/{websiteId}/integrations/woocommerce` (admin.integrations.woocommerce.disconnect) */
      disconnect(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    };
  };
  readonly team: {
    /** `POST /admin/websites/{websiteId}/team` (admin.team.invite) */
    invite(websiteId: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites/{websiteId}/team` (admin.team.list) */
    list(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
    /** `DELETE /admin/websites/{websiteId}/team` (admin.team.remove) */
    remove(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
  readonly tokens: {
    /** `POST /admin/access-tokens` (admin.tokens.create) */
    create(params: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `DELETE /admin/access-tokens/{tokenId}` (admin.tokens.delete) */
    delete(tokenId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/access-tokens` (admin.tokens.list) */
    list(params?: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  };
  readonly websites: {
    /** `POST /admin/websites` (admin.websites.create) */
    create(params: WebsiteCreate): Promise<WebsiteCreated>;
    /** `DELETE /admin/websites/{websiteId}` (admin.websites.delete) */
    delete(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites/{websiteId}` (admin.websites.get) */
    get(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** `GET /admin/websites` (admin.websites.list) */
    list(): Promise<Website[]>;
    /** `PUT /admin/websites/{websiteId}` (admin.websites.update) */
    update(websiteId: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
}
