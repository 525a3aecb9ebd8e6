//! Prints the MCP `tools/list` result for all 65 tools: `cargo run -p datafast-contract --example mcp_tools`.
fn main() {
    let tools = datafast_contract::mcp::tools(|_| true);
    println!("{}", serde_json::json!({ "tools": tools }));
}
