//! Turning a method call into a request: token rules, website selection, URL and body.
//!
//! Every check here runs before anything is sent; a failure is a [`ClientError`] with status 0.

use super::error::{ClientError, ErrorCode};
use super::validate;
use super::value::Value;
use datafast_contract::{params, rules, Endpoint, Method, TokenKind, API_PREFIX};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// DataFast tokens are a few dozen characters; anything past this is not a token (and a
/// megabyte header would only be refused by the server after the upload).
pub const MAX_TOKEN_LEN: usize = 512;

/// What the client knows about its credential, without the secret itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub kind: TokenKind,
    /// The website `dft_` tokens act on for Website API routes.
    pub website_id: Option<String>,
}

impl Credentials {
    /// Checks a token's form without ever putting it into a message.
    pub fn new(token: &str, website_id: Option<String>) -> Result<Self, ClientError> {
        // Anything outside visible ASCII would make the runtime's Headers throw, and some
        // runtimes quote the header value in that error: reject it here instead.
        if token.is_empty() || token.len() > MAX_TOKEN_LEN || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ClientError::local(
                ErrorCode::InvalidToken,
                format!(
                    "`token` must be 1 to {MAX_TOKEN_LEN} visible ASCII characters without spaces (a df_ key or a dft_ token)"
                ),
            ));
        }
        let kind = TokenKind::of(token).ok_or_else(|| {
            ClientError::local(
                ErrorCode::InvalidToken,
                "`token` must start with df_ (website API key) or dft_ (account access token)",
            )
        })?;
        if let Some(id) = &website_id {
            rules::object_id("websiteId", id)?;
        }
        Ok(Credentials { kind, website_id })
    }
}

/// A checked base URL without a trailing slash: `http(s)://host[:port][/path]`.
pub fn normalize_base_url(raw: &str) -> Result<String, ClientError> {
    let invalid = |rule: &str| ClientError::invalid_param("baseUrl", rule).with_code(ErrorCode::InvalidOptions);
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| invalid("must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(invalid("must name a host"));
    }
    if host.contains('@') {
        return Err(invalid("must not contain credentials; pass the token as `token`"));
    }
    if trimmed.contains(['?', '#']) || !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid("must be a plain origin or path without query, fragment or spaces"));
    }
    Ok(trimmed.to_string())
}

/// A request ready for a transport. The transport adds `Authorization`; the token is never
/// part of the URL or the body.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRequest {
    pub endpoint: &'static Endpoint,
    pub method: Method,
    pub url: String,
    /// JSON text, for routes that take a body.
    pub body: Option<String>,
}

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// In a query value `:` `,` `/` stay readable (`filter_page=contains:/docs,/blog`).
const QUERY_VALUE: &AsciiSet = &PATH_SEGMENT.remove(b':').remove(b',').remove(b'/');

/// Plans a call of `endpoint` with its path arguments (in path order) and optional input.
/// Every error names the endpoint.
pub fn plan(
    endpoint: &'static Endpoint,
    credentials: &Credentials,
    base_url: &str,
    path_args: &[String],
    params: Option<Value>,
) -> Result<PlannedRequest, ClientError> {
    let build = || -> Result<PlannedRequest, ClientError> {
        if !endpoint.allows(credentials.kind) {
            return Err(ClientError::local(
                ErrorCode::TokenNotAllowed,
                format!(
                    "this route accepts only account tokens (dft_); the client was created with a {}",
                    credentials.kind
                ),
            ));
        }
        let send_website_id = endpoint.website_from_query() && credentials.kind == TokenKind::AccountToken;
        if send_website_id && credentials.website_id.is_none() {
            return Err(ClientError::local(
                ErrorCode::MissingWebsiteId,
                "Website API routes need `websiteId` in the client options when the token is an account token (dft_)",
            ));
        }

        let mut url = String::with_capacity(base_url.len() + API_PREFIX.len() + endpoint.path.len() + 32);
        url.push_str(base_url);
        url.push_str(API_PREFIX);
        let mut args = path_args.iter();
        let mut names = endpoint.path_params();
        for segment in endpoint.path.split('/').skip(1) {
            url.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let value = args.next().ok_or_else(|| ClientError::invalid_param(name, "is required"))?;
                    validate::path_param(name, value)?;
                    url.extend(utf8_percent_encode(value, PATH_SEGMENT));
                    names.next();
                }
                None => url.push_str(segment),
            }
        }
        if args.next().is_some() {
            return Err(ClientError::invalid_param(
                "arguments",
                format!(
                    "{} takes {} id argument(s) before its parameters",
                    endpoint.method_path(),
                    endpoint.path_params().count()
                ),
            ));
        }

        let params = match params {
            None => None,
            Some(v @ Value::Object(_)) => Some(validate::params(endpoint, v)?),
            Some(other) => {
                return Err(ClientError::invalid_param(
                    "params",
                    format!("must be an object, got {}", other.type_name()),
                ))
            }
        };

        let mut query = Query::new(&mut url);
        if send_website_id {
            if let Some(id) = &credentials.website_id {
                query.push("websiteId", id);
            }
        }
        let body = if endpoint.has_body() {
            params.map(|p| p.to_json())
        } else {
            if let Some(Value::Object(entries)) = params {
                let spec = endpoint.params();
                for (key, value) in &entries {
                    let filters = spec.field(key).is_some_and(|f| matches!(f.kind, params::Kind::Filters));
                    query.push_param(key, value, filters)?;
                }
            }
            None
        };
        Ok(PlannedRequest { endpoint, method: endpoint.method, url, body })
    };
    build().map_err(|e| e.at(endpoint.id))
}

/// Appends `?k=v&…` to a URL.
struct Query<'u> {
    url: &'u mut String,
    first: bool,
}

impl<'u> Query<'u> {
    fn new(url: &'u mut String) -> Self {
        Query { url, first: true }
    }

    fn push(&mut self, key: &str, value: &str) {
        self.url.push(if self.first { '?' } else { '&' });
        self.first = false;
        self.url.extend(utf8_percent_encode(key, PATH_SEGMENT));
        self.url.push('=');
        self.url.extend(utf8_percent_encode(value, QUERY_VALUE));
    }

    /// One parameter: scalars as text, arrays comma-joined (the API's OR), filters (a field
    /// of kind `Filters`) as `filter_<dimension>=[op:]v1,v2`; `null` is left out.
    fn push_param(&mut self, key: &str, value: &Value, filters: bool) -> Result<(), ClientError> {
        match value {
            Value::Null => Ok(()),
            Value::Array(items) => {
                let text = join_scalars(key, items)?;
                self.push(key, &text);
                Ok(())
            }
            Value::Object(dimensions) if filters => {
                for (dimension, condition) in dimensions {
                    if let Some(text) = validate::filter_condition(dimension, condition)? {
                        self.push(&format!("filter_{dimension}"), &text);
                    }
                }
                Ok(())
            }
            Value::Object(_) => Err(ClientError::invalid_param(key, "must be a string, number, boolean or array")),
            scalar => {
                if let Some(text) = scalar.query_text() {
                    self.push(key, &text);
                }
                Ok(())
            }
        }
    }
}

/// `["US", "FR"]` → `US,FR`, rejecting nested containers and values that contain a comma.
pub fn join_scalars(field: &str, items: &[Value]) -> Result<String, ClientError> {
    let mut joined = String::new();
    for (i, item) in items.iter().enumerate() {
        let text = item
            .query_text()
            .ok_or_else(|| ClientError::invalid_param(field, "must contain only strings, numbers or booleans"))?;
        if text.contains(',') {
            return Err(ClientError::invalid_param(field, "values must not contain commas (a comma separates values)"));
        }
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(&text);
    }
    Ok(joined)
}

impl ClientError {
    pub(crate) fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafast_contract::registry::find;

    const SITE: &str = "665f0b3c4d2e1a0012345678";

    fn key() -> Credentials {
        Credentials::new("df_secretkey123", None).unwrap()
    }
    fn account(site: Option<&str>) -> Credentials {
        Credentials::new("dft_secrettoken123", site.map(String::from)).unwrap()
    }
    fn obj(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn tokens_are_checked_without_being_echoed() {
        let huge = format!("df_{}", "a".repeat(MAX_TOKEN_LEN));
        for bad in ["sk_live_abc", "", "df_ with space", "dft_tab\there", "dft_é", " df_padded ", &huge] {
            let e = Credentials::new(bad, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidToken);
            assert_eq!(e.status, 0);
            if !bad.is_empty() {
                assert!(!e.message.contains(bad), "{}", e.message);
            }
        }
        assert_eq!(Credentials::new("dft_x", Some("nope".into())).unwrap_err().field.as_deref(), Some("websiteId"));
    }

    #[test]
    fn df_key_on_account_only_route_is_refused_before_sending() {
        let e = plan(find("admin.websites.list").unwrap(), &key(), "https://datafa.st", &[], None).unwrap_err();
        assert_eq!(e.code, ErrorCode::TokenNotAllowed);
        assert_eq!(e.endpoint, Some("admin.websites.list"));
        assert!(e.message.contains("dft_"));
    }

    #[test]
    fn dft_token_on_website_route_needs_website_id() {
        let ep = find("analytics.overview").unwrap();
        let e = plan(ep, &account(None), "https://datafa.st", &[], None).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingWebsiteId);
        let p = plan(ep, &account(Some(SITE)), "https://datafa.st", &[], None).unwrap();
        assert_eq!(p.url, format!("https://datafa.st/api/v1/analytics/overview?websiteId={SITE}"));
        // A df_ key carries its website: no websiteId in the URL.
        let p = plan(ep, &key(), "http://127.0.0.1:8787", &[], None).unwrap();
        assert_eq!(p.url, "http://127.0.0.1:8787/api/v1/analytics/overview");
        // Admin routes carry the website in the path, not the query.
        let p = plan(find("admin.account.get").unwrap(), &account(Some(SITE)), "https://datafa.st", &[], None).unwrap();
        assert_eq!(p.url, "https://datafa.st/api/v1/admin/account");
    }

    #[test]
    fn query_encoding_filters_and_arrays() {
        let ep = find("analytics.pages").unwrap();
        let params = obj(vec![
            ("startAt", s("2026-05-01")),
            ("endAt", s("2026-05-31T23:59:59+02:00")),
            ("limit", Value::number(10.0)),
            ("fields", Value::Array(vec![s("path"), s("visitors")])),
            ("timezone", Value::Null),
            (
                "filters",
                obj(vec![
                    ("country", Value::Array(vec![s("US"), s("France")])),
                    ("page", obj(vec![("contains", s("/docs & more"))])),
                    ("referrer", obj(vec![("is_not", s("Google"))])),
                ]),
            ),
        ]);
        let p = plan(ep, &key(), "https://datafa.st", &[], Some(params)).unwrap();
        assert_eq!(
            p.url,
            "https://datafa.st/api/v1/analytics/pages?startAt=2026-05-01&endAt=2026-05-31T23:59:59%2B02:00\
             &limit=10&fields=path,visitors&filter_country=US,France&filter_page=contains:/docs%20%26%20more\
             &filter_referrer=is_not:Google"
        );
        assert_eq!(p.body, None);
    }

    #[test]
    fn path_arguments_are_checked_and_encoded() {
        let ep = find("admin.funnels.update").unwrap();
        let e = plan(ep, &account(None), "https://datafa.st", &[SITE.into()], None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("funnelId"));
        let e = plan(ep, &account(None), "https://datafa.st", &[SITE.into(), "../../x".into()], None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("funnelId"));
        let e =
            plan(ep, &account(None), "https://datafa.st", &[SITE.into(), SITE.into(), SITE.into()], None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("arguments"));
        let p = plan(
            ep,
            &account(None),
            "https://datafa.st",
            &[SITE.into(), SITE.into()],
            Some(obj(vec![("name", s("F"))])),
        )
        .unwrap();
        assert_eq!(p.url, format!("https://datafa.st/api/v1/admin/websites/{SITE}/funnels/{SITE}"));
        assert_eq!(p.body.as_deref(), Some(r#"{"name":"F"}"#));
        let e =
            plan(find("visitors.get").unwrap(), &key(), "https://datafa.st", &["not-a-uuid".into()], None).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("visitorId"));
    }

    #[test]
    fn bodies_are_json_and_validated() {
        let ep = find("goals.create").unwrap();
        let body = obj(vec![
            ("datafast_visitor_id", s("a3ab2331-989f-4cfa-91c6-2461c9e3c6bd")),
            ("name", s("Newsletter Signup")),
            ("metadata", obj(vec![("plan", s("pro"))])),
        ]);
        let p = plan(ep, &key(), "https://datafa.st", &[], Some(body)).unwrap();
        assert_eq!(p.method, Method::Post);
        assert_eq!(
            p.body.as_deref(),
            Some(
                r#"{"datafast_visitor_id":"a3ab2331-989f-4cfa-91c6-2461c9e3c6bd","name":"newsletter_signup","metadata":{"plan":"pro"}}"#
            )
        );
        let e = plan(ep, &key(), "https://datafa.st", &[], Some(obj(vec![("name", s("x"))]))).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidParams, Some("datafast_visitor_id")));
        let e = plan(ep, &key(), "https://datafa.st", &[], Some(Value::Array(vec![]))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("params"));
    }

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("https://datafa.st/").unwrap(), "https://datafa.st");
        assert_eq!(normalize_base_url("http://127.0.0.1:8787").unwrap(), "http://127.0.0.1:8787");
        for bad in ["datafa.st", "ftp://x", "https://", "https://u:p@host", "https://h/?q=1", "https://h /x"] {
            let e = normalize_base_url(bad).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidOptions, Some("baseUrl")), "{bad}");
        }
    }
}
