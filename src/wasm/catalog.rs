//! What a call would send, without sending it: the same argument reading, checks and planning
//! as a client's call ([`Call::start`]), for tools that show a request before running it (the
//! playground's preview and its inline errors). The endpoint catalogue itself is JSON
//! generated natively (`datafast_contract::catalog`) and shipped as its own module, so that
//! only the tools that import it pay for its size.

use super::client::{call_inputs, request_headers};
use super::error;
use super::js::{get, set};
use crate::core::call::{Call, CallOptions, ClientConfig};
use crate::core::request::normalize_base_url;
use crate::core::{ClientError, Credentials};
use datafast_contract::{DEFAULT_BASE_URL, ENDPOINTS};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const PREVIEW_TS: &str = r#"
/** Who would send the request: the token decides which routes and checks apply. */
export interface PreviewOptions {
  token: string;
  websiteId?: string;
  baseUrl?: string;
}
/** A request as a client would send it; the token is masked in `headers.Authorization`. */
export interface RequestPreview {
  endpoint: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** JSON text for routes that take a body. */
  body: string | null;
}
/**
 * Checks and plans a call of `endpointId` with the method's arguments (path ids, then the
 * parameters object) as a client with `options` would, and returns the request without
 * sending it. Throws the `DataFastError` the call would reject with.
 */
export declare function previewRequest(
  endpointId: WebsiteEndpointId | AdminEndpointId | (string & {}),
  args: unknown[],
  options: PreviewOptions,
): RequestPreview;
"#;

/// The preview of the call of the endpoint at registry `index`; `params` is the driver's plain
/// copy of the parameters, `options` `{ token, websiteId?, baseUrl? }` (js/client.js).
#[wasm_bindgen(js_name = "__preview", skip_typescript)]
pub fn preview(index: u32, args: &Array, params: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let token = get(options, "token").as_string().unwrap_or_default();
    plan_preview(index, args, params, options, &token).map_err(|e| error::to_js(&e, Some(&token)))
}

fn plan_preview(
    index: u32,
    args: &Array,
    params: &JsValue,
    options: &JsValue,
    token: &str,
) -> Result<JsValue, ClientError> {
    let endpoint =
        ENDPOINTS.get(index as usize).ok_or_else(|| ClientError::invalid_param("endpoint", "is not an endpoint id"))?;
    let credentials = Credentials::new(token, get(options, "websiteId").as_string())?;
    let base_url = normalize_base_url(&get(options, "baseUrl").as_string().unwrap_or_else(|| DEFAULT_BASE_URL.into()))?;
    let config = ClientConfig::new(credentials, base_url);
    let (ids, params) = call_inputs(endpoint, args, params).map_err(|e| e.at(endpoint.id))?;
    let (call, _) = Call::start(endpoint, &config, CallOptions::default(), &ids, params, 0.0)?;
    let request = call.request();

    // The headers a call sends, with the token masked as the clients' `toString` masks it.
    let masked = format!("{}[redacted]", config.credentials.kind.prefix());
    let headers = request_headers(&masked, request.body.is_some());
    let out = Object::new();
    set(&out, "endpoint", &endpoint.id.into());
    set(&out, "method", &request.method.as_str().into());
    set(&out, "url", &request.url.as_str().into());
    set(&out, "headers", &headers);
    set(&out, "body", &request.body.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    Ok(out.into())
}
