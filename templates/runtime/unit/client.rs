//! Tests of `client.rs`, kept apart from the file `cargo xtask regen` copies.

use crate::runtime::client::*;
use crate::runtime::error::Error;
use crate::runtime::transport::ERROR_BODY_KEPT;

fn refused(url: &str, tls: bool, hosts: &[String]) -> String {
    match check_base_url(url, tls, hosts) {
        Err(Error::Config { message }) => message,
        other => panic!("{url}: expected a configuration error, got {other:?}"),
    }
}

#[test]
fn https_without_a_tls_feature_is_refused_at_build() {
    let message = refused("https://cloud.mongodb.com", false, &[]);
    assert!(
        message.contains("rustls") && message.contains("native-tls"),
        "{message}"
    );
    assert!(check_base_url("https://cloud.mongodb.com", true, &[]).is_ok());
    // Loopback http needs no TLS.
    assert!(check_base_url("http://127.0.0.1:8080", false, &[]).is_ok());
    let allowed = ["proxy.internal".to_owned()];
    assert!(check_base_url("http://Proxy.Internal", false, &allowed).is_ok());
    let message = refused("http://cloud.mongodb.com", true, &allowed);
    assert!(message.contains("cloud.mongodb.com"), "{message}");
}

#[test]
fn debug_of_a_base_url_shows_no_userinfo_query_or_other_scheme() {
    assert_eq!(
        describe_url("https://u:SECRET@host:8443/p?key=SECRET#SECRET"),
        "https://host:8443/p?…"
    );
    assert_eq!(describe_url("key:SECRET@host"), "<not an http(s) URL>");
    assert_eq!(describe_url("SECRET"), "<not an http(s) URL>");
}

#[test]
fn kept_text_is_bounded() {
    assert_eq!(
        kept_text(&vec![b'a'; ERROR_BODY_KEPT + 10]).len(),
        ERROR_BODY_KEPT
    );
    assert_eq!(kept_text(b"abc"), "abc");
}
