//! W22 `POST /payments` and W23 `DELETE /payments`.
//!
//! A payment is stored as a payment event, like the seeded ones, so every revenue figure
//! counts it; its [`PaymentDetails`] carry the transaction id, the kind (new, renewal,
//! refund, free trial) and the customer.

use super::goals::{body_visitor, last_pageview};
use super::{deletes, optional_bool, optional_str, required_str, Ctx};
use crate::http::{ApiError, Reply};
use crate::state::{Dims, Event, EventDetail, EventKind, PaymentDetails, Store};
use crate::time;
use arcstr::ArcStr;
use axum::http::StatusCode;
use datafast_contract::rules::{self, RuleViolation, CUSTOMER_TEXT_MAX};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// W22. Validation failures answer the bare `{"error": …}` body, successes the bare
/// `{message, transaction_id}` (CONTRACT 2.3).
pub fn create(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    record(ctx, store).map_err(|e| if e.status == StatusCode::BAD_REQUEST { e.into_bare() } else { e })
}

/// A checked `POST /payments` body.
struct NewPayment {
    amount: f64,
    currency: String,
    visitor: Option<String>,
    ts: i64,
    details: PaymentDetails,
}

fn record(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website = ctx.website(store)?;
    let (website_id, hostname) = (website.id.clone(), website.domain.clone());
    // Everything is checked before the duplicate test: a bad body is a 400 even when its
    // transaction id is already recorded.
    let p = new_payment(ctx.body, ctx.now_ms)?;
    let tx = p.details.transaction_id.clone();
    if store.events(&website_id).iter().any(|e| e.transaction_id() == Some(tx.as_str())) {
        return Ok(Reply::bare(json!({
            "message": "Duplicate payment: this transaction_id is already recorded, nothing was changed",
            "transaction_id": tx,
        })));
    }

    // Attribution: the payment joins the visit the visitor was on when paying.
    let visit = p.visitor.as_deref().and_then(|v| last_pageview(&store.indexed(&website_id), v, p.ts));
    let message = match (&p.visitor, visit) {
        (_, Some(_)) => "Payment recorded and attributed successfully".to_string(),
        (Some(v), None) => {
            format!("Payment recorded successfully; not attributed: visitor {v} has no pageviews on this website")
        }
        (None, None) => "Payment recorded successfully; not attributed: no datafast_visitor_id was sent".to_string(),
    };
    let (visitor_id, session_id, dims, hostname, path) = match visit {
        Some(pv) => {
            (pv.visitor_id.clone(), pv.session_id.clone(), pv.dims.clone(), pv.hostname.clone(), pv.path.clone())
        }
        // No visit to join: no session, no dimensions; an unknown visitor keeps its id so
        // that deleting by visitor finds the payment.
        None => (
            ArcStr::from(p.visitor.as_deref().unwrap_or_default()),
            ArcStr::new(),
            Arc::new(Dims::default()),
            hostname.into(),
            Default::default(),
        ),
    };

    let id = store.new_event_id();
    store.events.entry(website_id).or_default().push(Event {
        id,
        visitor_id,
        session_id,
        ts: p.ts,
        kind: EventKind::Payment,
        hostname,
        path,
        dims,
        detail: EventDetail {
            // Refunds are stored negative, so every sum of amounts is net revenue.
            amount: Some(if p.details.refunded && p.amount > 0.0 { -p.amount } else { p.amount }),
            currency: Some(p.currency.into()),
            payment: Some(Box::new(p.details)),
            ..EventDetail::default()
        }
        .into(),
    });
    Ok(Reply::bare(json!({ "message": message, "transaction_id": tx })))
}

fn new_payment(body: &Map<String, Value>, now_ms: i64) -> Result<NewPayment, ApiError> {
    let amount = match body.get("amount") {
        None | Some(Value::Null) => return Err(ApiError::bad_request("`amount` is required")),
        Some(Value::Number(n)) => rules::payment_amount("amount", n.as_f64().unwrap_or(f64::NAN))?,
        Some(_) => return Err(ApiError::bad_request("`amount` must be a number in major units, such as 29.99")),
    };
    let currency = rules::currency("currency", required_str(body, "currency")?)?;
    let transaction_id = rules::transaction_id("transaction_id", required_str(body, "transaction_id")?)?;
    let visitor = body_visitor(body)?.map(deletes::visitor_key);
    let ts = match optional_str(body, "timestamp")? {
        None => now_ms,
        Some(raw) => timestamp("timestamp", raw.trim())?,
    };

    let customer_email =
        first_of(body, &["email", "customer_email"])?.map(|(field, v)| rules::email(field, v)).transpose()?;
    let customer_name = match first_of(body, &["name", "customer_name"])? {
        // A front end's `${first} ${last}` of nothing is not a name.
        Some((_, v)) if rules::is_placeholder_name(v) => None,
        Some((field, v)) => rules::optional_text(field, v, CUSTOMER_TEXT_MAX)?,
        None => None,
    };
    let customer_id = match optional_str(body, "customer_id")? {
        Some(v) => rules::optional_text("customer_id", v, CUSTOMER_TEXT_MAX)?,
        None => None,
    };
    let renewal = optional_bool(body, "renewal")?.unwrap_or(false);
    let refunded = optional_bool(body, "refunded")?.unwrap_or(false);
    // An explicit `is_free_trial` wins; otherwise an amount of 0 is a free trial.
    let is_free_trial = optional_bool(body, "is_free_trial")?.unwrap_or(amount == 0.0);

    Ok(NewPayment {
        amount,
        currency,
        visitor,
        ts,
        details: PaymentDetails {
            transaction_id,
            renewal,
            refunded,
            is_free_trial,
            customer_email,
            customer_name,
            customer_id,
        },
    })
}

/// The first of several spellings of one field that is present (`email` before
/// `customer_email`).
fn first_of<'m>(
    body: &'m Map<String, Value>,
    fields: &[&'static str],
) -> Result<Option<(&'static str, &'m str)>, ApiError> {
    for &field in fields {
        if let Some(v) = optional_str(body, field)? {
            return Ok(Some((field, v)));
        }
    }
    Ok(None)
}

/// An ISO-8601 time with a zone, or a plain date (its UTC midnight).
fn timestamp(field: &str, raw: &str) -> Result<i64, ApiError> {
    rules::date(field, raw)?;
    time::parse_instant(raw)
        .or_else(|| time::parse_date(raw).map(|day| day * time::MS_PER_DAY))
        .ok_or_else(|| RuleViolation::new(field, "is not a real calendar date or time").into())
}

/// W23. A transaction id wins over everything else; otherwise the visitor (optionally
/// windowed), otherwise a window alone (bulk).
pub fn delete(ctx: &Ctx, store: &mut Store) -> Result<Reply, ApiError> {
    let website_id = ctx.website(store)?.id.clone();
    let transaction = ["transaction_id", "tx_id"].into_iter().find_map(|f| Some((f, ctx.query.get_nonempty(f)?)));
    if let Some((field, raw)) = transaction {
        let tx = rules::transaction_id(field, raw)?;
        let removed = deletes::remove_events(store, &website_id, |e| e.transaction_id() == Some(tx.as_str()));
        if removed == 0 {
            return Err(ApiError::not_found(format!("no payment with transaction_id {tx} on this website")));
        }
        return Ok(Reply::data(json!([{ "message": "Payment deleted successfully", "transaction_id": tx }])));
    }

    let visitor = deletes::visitor(ctx.query);
    let window = deletes::window(ctx.query)?;
    if visitor.is_none() && window.is_none() {
        return Err(ApiError::bad_request(
            "say which payments to delete: `transaction_id` (or `tx_id`), `datafast_visitor_id`, or a time window (`startAt` and `endAt`, or `start` and `end`); a bulk delete needs the window",
        ));
    }
    // Nothing matching is still a success: the documented 404 is for unknown transactions.
    deletes::remove_events(store, &website_id, |e| {
        e.kind == EventKind::Payment
            && visitor.as_deref().is_none_or(|v| e.visitor_id.eq_ignore_ascii_case(v))
            && window.is_none_or(|w| w.contains(e.ts))
    });

    let message = if visitor.is_some() {
        "All payments for visitor deleted successfully"
    } else {
        "All payments deleted successfully"
    };
    let mut filters = Map::new();
    if let Some(v) = visitor {
        filters.insert("datafast_visitor_id".into(), json!(v));
    }
    Ok(deletes::answer(message, filters, window))
}
