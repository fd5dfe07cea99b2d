//! Tests of `error.rs`, kept apart from the file `cargo xtask regen` copies.

use crate::runtime::error::*;

fn api_error(json: &str) -> ErrorBody {
    ErrorBody::from_slice(json.as_bytes()).expect("a JSON object")
}

/// Any JSON object is an error body, whatever its fields hold; the
/// documented fields are read when they have their documented types,
/// and the whole object decodes into another type on demand.
#[test]
fn any_json_object_is_an_error_body() {
    let body = api_error(
        r#"{"error":"four hundred","errorCode":7,"detail":"bad","parameters":{"x":1},
           "badRequestDetail":{"fields":[{"field":"a"},{"field":"b","description":"c"}]}}"#,
    );
    assert_eq!((body.error, body.error_code.as_deref()), (None, None));
    assert_eq!(body.detail.as_deref(), Some("bad"));
    assert_eq!(body.fields, [("b".to_owned(), "c".to_owned())]);
    assert_eq!(body.json["parameters"]["x"], 1);
    #[derive(serde::Deserialize)]
    struct Mine {
        detail: String,
    }
    assert_eq!(body.decode::<Mine>().unwrap().detail, "bad");
    assert!(ErrorBody::from_slice(b"[1]").is_none());
    assert!(ErrorBody::from_slice(b"<html>").is_none());
}

/// One answer to "may this be retried?": rate limits and server errors
/// may pass, refusals and unreadable answers will not.
#[test]
fn what_may_be_retried() {
    let api = |status| Error::Api {
        operation: "op",
        status,
        error: None,
        body: String::new(),
        rate_limit: Box::default(),
    };
    for status in [429, 500, 502, 503, 504] {
        assert!(api(status).is_retryable(), "{status}");
    }
    for status in [400, 401, 403, 404, 409, 501, 505] {
        assert!(!api(status).is_retryable(), "{status}");
    }
    let auth = |retryable| Error::Auth {
        operation: "op",
        status: None,
        message: String::new(),
        source: None,
        retryable,
    };
    assert!(auth(true).is_retryable());
    assert!(!auth(false).is_retryable());
    let deadline = Error::Deadline {
        operation: "op",
        budget: std::time::Duration::from_secs(1),
        attempt: 2,
    };
    assert!(deadline.is_retryable());
    let paging = Error::Paging {
        operation: "op",
        page: 2,
        reason: String::new(),
    };
    assert!(!paging.is_retryable());
    assert!(!Error::config("x").is_retryable());
}

const RATE_LIMITED: &str =
    r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"Too many requests."}"#;

#[test]
fn error_code_helpers() {
    let err = Error::Api {
        operation: "listGroupEvents",
        status: 429,
        error: Some(Box::new(api_error(RATE_LIMITED))),
        body: RATE_LIMITED.to_owned(),
        rate_limit: Box::default(),
    };
    assert_eq!(err.error_code(), Some("RATE_LIMITED"));
    assert!(err.is_error_code("RATE_LIMITED"));
    assert!(!err.is_error_code("NOT_FOUND"));
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.operation(), Some("listGroupEvents"));
    let text = err.to_string();
    assert_eq!(
        text,
        "listGroupEvents: Atlas answered HTTP 429 RATE_LIMITED: Too many requests."
    );
}

const BAD_FIELDS: &str = r#"{"error":400,"errorCode":"INVALID_PARAMETER","detail":"bad",
    "badRequestDetail":{"fields":[{"field":"minDate","description":"not a date"}]}}"#;

#[test]
fn api_error_display_lists_bad_fields() {
    let err = Error::Api {
        operation: "listOrgEvents",
        status: 400,
        error: Some(Box::new(api_error(BAD_FIELDS))),
        body: BAD_FIELDS.to_owned(),
        rate_limit: Box::default(),
    };
    assert!(err.to_string().contains("[minDate: not a date]"));
}

#[test]
fn non_json_body_is_shown_bounded() {
    let body = "x".repeat(1000);
    let err = Error::Api {
        operation: "getGroupEvent",
        status: 502,
        error: None,
        body,
        rate_limit: Box::default(),
    };
    assert_eq!(err.error_code(), None);
    let text = err.to_string();
    assert!(text.starts_with("getGroupEvent: Atlas answered HTTP 502: xxx"));
    assert!(text.len() < 400, "message not bounded: {}", text.len());
}

#[test]
fn huge_detail_and_many_fields_stay_bounded() {
    let fields: Vec<_> = (0..100)
        .map(|i| serde_json::json!({"field": format!("f{i}"), "description": "d".repeat(10_000)}))
        .collect();
    let body = serde_json::json!({
        "errorCode": "X".repeat(10_000),
        "detail": "y".repeat(4 << 20),
        "badRequestDetail": {"fields": fields},
        "parameters": ["a", "b"],
    })
    .to_string();
    let err = Error::Api {
        operation: "listGroupEvents",
        status: 400,
        error: Some(Box::new(api_error(&body))),
        body,
        rate_limit: Box::default(),
    };
    let text = err.to_string();
    assert!(text.len() < 6_000, "message not bounded: {}", text.len());
    assert!(text.contains("[and 95 more]"), "{text}");
    assert_eq!(err.error_code().map(str::len), Some(10_000));
    assert_eq!(bounded("héllo", 2), "hé…");
    assert_eq!(bounded("hé", 2), "hé");
    assert_eq!(atlas_says(br#"{"errorCode":"A","reason":"B"}"#), " (A: B)");
    assert_eq!(atlas_says(br#"{"detail":"B","errorCode":7}"#), " (B)");
    assert_eq!(atlas_says(b"<html>"), "");
}
