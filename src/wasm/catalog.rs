//! What a call would send, without sending it: the same checks and planning as a client's
//! call ([`plan`]), for tools that show a request before running it (the playground's preview
//! and its inline errors). The endpoint catalogue itself is JSON generated natively
//! (`datafast_contract::catalog`) and shipped as its own module, so that only the tools that
//! import it pay for its size.

use super::client::split_args;
use super::error;
use super::js::{get, set};
use crate::core::request::{normalize_base_url, plan};
use crate::core::{ClientError, Credentials};
use datafast_contract::{registry, DEFAULT_BASE_URL};
use js_sys::Object;
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
"#;

/// Checks and plans a call of `endpointId` with `args` (path ids, then one parameters object)
/// as a client with `options` would, and returns the request without sending it. Throws the
/// `DataFastError` the call would reject with (status 0, `field` naming the input at fault).
#[wasm_bindgen(js_name = previewRequest, unchecked_return_type = "RequestPreview")]
pub fn preview_request(
    #[wasm_bindgen(js_name = endpointId)] endpoint_id: String,
    #[wasm_bindgen(unchecked_param_type = "unknown[]")] args: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PreviewOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let token = get(&options, "token").as_string().unwrap_or_default();
    preview(&endpoint_id, &args, &options, &token).map_err(|e| error::to_js(&e, Some(&token)))
}

fn preview(endpoint_id: &str, args: &JsValue, options: &JsValue, token: &str) -> Result<JsValue, ClientError> {
    let endpoint = registry::find(endpoint_id)
        .ok_or_else(|| ClientError::invalid_param("endpoint", format!("`{endpoint_id}` is not an endpoint")))?;
    let credentials = Credentials::new(token, get(options, "websiteId").as_string())?;
    let base_url = normalize_base_url(&get(options, "baseUrl").as_string().unwrap_or_else(|| DEFAULT_BASE_URL.into()))?;
    let (path_args, params) = split_args(endpoint, args)?;
    let request = plan(endpoint, &credentials, &base_url, &path_args, params)?;

    // The headers the fetch exchange sends (transport.rs), with the token masked as the
    // clients' `toString` masks it.
    let headers = Object::new();
    set(&headers, "Authorization", &format!("Bearer {}[redacted]", credentials.kind.prefix()).into());
    set(&headers, "Accept", &"application/json".into());
    if request.body.is_some() {
        set(&headers, "Content-Type", &"application/json".into());
    }
    let out = Object::new();
    set(&out, "endpoint", &endpoint.id.into());
    set(&out, "method", &request.method.as_str().into());
    set(&out, "url", &request.url.as_str().into());
    set(&out, "headers", &headers);
    set(&out, "body", &request.body.map_or(JsValue::NULL, |b| JsValue::from_str(&b)));
    Ok(out.into())
}
