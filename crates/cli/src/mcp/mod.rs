//! `datafast mcp`: DataFast as MCP tools over stdio, for agents and editors.
//!
//! The tools are the contract's catalogue ([`datafast_contract::mcp`]): one per endpoint,
//! narrowed to what the credential may call (`--read-only`, `--toolsets`, a `df_` key's
//! routes, an account token's permissions when the API tells them). Every call runs the
//! client core's call state machine (validation, retries, rate-limit waits, the time budget)
//! through [`http::AsyncClient`]. Failures are tool results with `isError`, naming code, field
//! and message; a cancelled request drops its HTTP request.

mod http;

use crate::config::Settings;
use crate::error::{CliError, Exit, Result};
use crate::output;
use datafast_contract::mcp::{self as catalogue, CONFIRM, TOOLSETS, WEBSITE_ID};
use datafast_contract::{registry, rules, Endpoint, Surface, TokenKind, ENDPOINTS};
use datafast_wasm::core::{CallOptions, ClientError, ErrorCode, Value};
use http::AsyncClient;
use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData as McpError, Implementation,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::ServiceExt;
use serde_json::{json, Map, Value as Json};
use tokio::sync::OnceCell;

/// What `datafast mcp` offers, from its flags.
pub struct Scope {
    pub read_only: bool,
    /// Tools declare their `outputSchema`.
    pub output_schemas: bool,
    /// `None`: every toolset.
    pub toolsets: Option<Vec<&'static str>>,
}

impl Scope {
    /// Checks `--toolsets` names against the catalogue's groups.
    pub fn new(read_only: bool, toolsets: &[String], output_schemas: bool) -> Result<Scope> {
        let toolsets = if toolsets.is_empty() {
            None
        } else {
            let mut picked = Vec::new();
            for name in toolsets.iter().flat_map(|t| t.split(',')).map(str::trim).filter(|t| !t.is_empty()) {
                let known = TOOLSETS.iter().copied().find(|t| *t == name).ok_or_else(|| {
                    CliError::usage(format!("--toolsets: `{name}` is not a toolset; one of {}", TOOLSETS.join(", ")))
                })?;
                picked.push(known);
            }
            Some(picked)
        };
        Ok(Scope { read_only, output_schemas, toolsets })
    }
}

/// Serves MCP on stdin/stdout until the client closes the stream.
pub fn run(settings: &Settings, options: CallOptions, scope: Scope) -> Result<()> {
    let token = settings.credential()?.value.clone();
    let client = AsyncClient::new(&token, &settings.api_base.value, options).map_err(CliError::from)?;
    let website = match &settings.website {
        Some(w) => Some(rules::object_id("--website", &w.value).map(|_| w.value.clone())?),
        None => None,
    };
    let kind =
        TokenKind::of(&token).ok_or_else(|| CliError::new(Exit::Auth, "the token is not a df_ or dft_ token"))?;
    let server = Server { client, kind, website, scope, permissions: OnceCell::new() };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::other(format!("cannot start the MCP server: {e}")))?;
    // One thread: the core's pacer is shared per token in the thread (`Rc`), and rmcp runs
    // its tasks locally (its `local` feature).
    tokio::task::LocalSet::new().block_on(&runtime, async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| CliError::other(format!("MCP initialization failed: {e}")))?;
        running.waiting().await.map_err(|e| CliError::other(format!("MCP server stopped: {e}")))?;
        Ok(())
    })
}

struct Server {
    client: AsyncClient,
    kind: TokenKind,
    /// `--website` or the configured default website.
    website: Option<String>,
    scope: Scope,
    /// An account token's permissions, learnt once from the token list; `None` when the API
    /// did not say (then every tool the flags allow is listed, and the API answers 403).
    permissions: OnceCell<Option<Vec<String>>>,
}

impl Server {
    /// Whether `ep` is offered to this client, given the token's permissions where known.
    fn offers(&self, ep: &Endpoint, permissions: Option<&[String]>) -> bool {
        if !ep.allows(self.kind) || (self.scope.read_only && !catalogue::is_read_only(ep)) {
            return false;
        }
        if let Some(sets) = &self.scope.toolsets {
            if !sets.contains(&catalogue::toolset(ep)) {
                return false;
            }
        }
        match permissions {
            Some(held) => held.iter().any(|p| p == "*" || p == ep.permission.as_str()),
            None => true,
        }
    }

    /// The permissions learnt by `tools/list`. A call does not wait to learn them: the API
    /// answers 403 to a tool the token may not use.
    fn known_permissions(&self) -> Option<&[String]> {
        self.permissions.get().and_then(Option::as_deref)
    }

    /// An account token finds itself in the token list by its display key.
    async fn learn_permissions(&self) -> Option<Vec<String>> {
        if self.kind != TokenKind::AccountToken {
            return None;
        }
        let list = registry::find("admin.tokens.list")?;
        let rows = self.client.call(list, &[], None, None).await.ok()?;
        let mine = TokenKind::display_key(self.client.token());
        let matching: Vec<&Json> = rows.as_array()?.iter().filter(|r| r["displayKey"] == mine.as_str()).collect();
        let [row] = matching.as_slice() else { return None };
        let held = row["permissions"].as_array()?.iter().filter_map(|p| p.as_str().map(str::to_string)).collect();
        Some(held)
    }

    /// Splits a tool's arguments into the call's path ids, website and parameters.
    fn prepare(&self, ep: &'static Endpoint, mut args: Map<String, Json>) -> Result<Prepared, ClientError> {
        let tool = catalogue::tool_name(ep);
        if catalogue::is_irreversible(ep) && args.remove(CONFIRM) != Some(Json::Bool(true)) {
            return Err(refused(
                ErrorCode::InvalidParams,
                CONFIRM,
                format!("`{tool}` cannot be undone: call it again with `confirm: true` to go ahead"),
            ));
        }
        let given_website = match args.remove(WEBSITE_ID) {
            None => None,
            Some(Json::String(w)) => Some(w),
            Some(_) => return Err(refused(ErrorCode::InvalidParams, WEBSITE_ID, "`websiteId` must be a string")),
        };
        let needs_website = catalogue::takes_website(ep)
            && (ep.path_params().any(|p| p == WEBSITE_ID) || self.kind == TokenKind::AccountToken);
        let website = if needs_website {
            given_website.or_else(|| self.website.clone())
        } else if given_website.is_some() {
            return Err(refused(
                ErrorCode::InvalidParams,
                WEBSITE_ID,
                format!("`{tool}` takes no `websiteId` with a df_ website key: the key names its website"),
            ));
        } else {
            None
        };
        let mut ids = Vec::new();
        for name in ep.path_params() {
            let id = if name == WEBSITE_ID {
                website.clone()
            } else {
                match args.remove(name) {
                    Some(Json::String(id)) => Some(id),
                    Some(_) => {
                        return Err(refused(ErrorCode::InvalidParams, name, format!("`{name}` must be a string")))
                    }
                    None => None,
                }
            };
            ids.push(id.ok_or_else(|| missing(name))?);
        }
        let website = if ep.surface == Surface::Website && self.kind == TokenKind::AccountToken {
            Some(website.ok_or_else(|| missing(WEBSITE_ID))?)
        } else {
            None
        };
        let params = (!args.is_empty()).then(|| Value::from_json(&Json::Object(args)));
        Ok(Prepared { ids, website, params })
    }
}

struct Prepared {
    ids: Vec<String>,
    website: Option<String>,
    params: Option<Value>,
}

fn refused(code: ErrorCode, field: &str, message: impl Into<String>) -> ClientError {
    let mut e = ClientError::local(code, message);
    e.field = Some(field.to_string());
    e
}

fn missing(name: &str) -> ClientError {
    if name == WEBSITE_ID {
        refused(
            ErrorCode::MissingWebsiteId,
            WEBSITE_ID,
            "`websiteId` is required: pass it, or configure a default website (`datafast config set-website ID`)",
        )
    } else {
        refused(ErrorCode::InvalidParams, name, format!("`{name}` is required"))
    }
}

/// A success: the data as `structuredContent` (an object: lists come as `{ data: [...] }`)
/// and as a small text table.
fn success(value: Json) -> CallToolResult {
    let text = output::table_paged(&value, Some(120), "`offset`");
    let structured = match value {
        Json::Object(map) => Json::Object(map),
        Json::Null => json!({}),
        other => json!({ "data": other }),
    };
    let mut result = CallToolResult::structured(structured);
    result.content = vec![ContentBlock::text(text)];
    result
}

/// A failure the agent can act on: code, field, status and message, never the token.
fn failure(e: &ClientError) -> CallToolResult {
    let mut error =
        json!({ "code": e.code.as_str(), "message": e.message, "status": e.status, "retryable": e.retryable });
    if let Some(field) = &e.field {
        error["field"] = json!(field);
    }
    if let Some(reset) = e.rate_limit.as_ref().and_then(|r| r.reset) {
        error["rateLimitReset"] = json!(reset);
    }
    let field = e.field.as_deref().map(|f| format!(" (field `{f}`)")).unwrap_or_default();
    let mut result = CallToolResult::structured_error(json!({ "error": error }));
    result.content = vec![ContentBlock::text(format!("{}{field}: {}", e.code.as_str(), e.message))];
    result
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("datafast", env!("CARGO_PKG_VERSION")))
            .with_instructions(catalogue::instructions())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> std::result::Result<ListToolsResult, McpError> {
        let permissions = self.permissions.get_or_init(|| self.learn_permissions()).await.as_deref();
        let mut tools = Vec::new();
        for ep in ENDPOINTS {
            if self.offers(ep, permissions) {
                let tool =
                    if self.scope.output_schemas { catalogue::tool_with_output(ep) } else { catalogue::tool(ep) };
                let tool: Tool = serde_json::from_value(tool)
                    .map_err(|e| McpError::internal_error(format!("tool {}: {e}", ep.id), None))?;
                tools.push(tool);
            }
        }
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> std::result::Result<CallToolResponse, McpError> {
        let offered = catalogue::endpoint_of_tool(&request.name).filter(|ep| self.offers(ep, self.known_permissions()));
        let Some(ep) = offered else {
            return Err(McpError::invalid_params(format!("unknown tool `{}`", request.name), None));
        };
        let prepared = match self.prepare(ep, request.arguments.unwrap_or_default()) {
            Ok(p) => p,
            Err(e) => return Ok(failure(&e).into()),
        };
        let call = self.client.call(ep, &prepared.ids, prepared.params, prepared.website);
        // Dropping the call's future on cancellation closes its connection.
        let outcome = tokio::select! {
            outcome = call => outcome,
            () = context.ct.cancelled() => Err(ClientError::local(ErrorCode::Aborted, "the request was cancelled")),
        };
        Ok(match outcome {
            Ok(value) => success(value),
            Err(e) => failure(&e),
        }
        .into())
    }
}
