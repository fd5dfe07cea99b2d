//! Tests of `env.rs`, kept apart from the file `cargo xtask regen` copies.

use crate::runtime::auth::CredentialKind;
use crate::runtime::env::*;
use crate::runtime::error::Error;

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn precedence_is_the_terraform_providers_and_the_unused_are_named() {
    let all = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "sec"),
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
    ]))
    .unwrap();
    assert!(matches!(
        all.credentials.clone().kind,
        CredentialKind::ServiceAccount { ref client_id, .. } if client_id == "id"
    ));
    let note = all.ignored_note().unwrap();
    assert!(
        note.contains("using the service account (MONGODB_ATLAS_CLIENT_ID"),
        "{note}"
    );
    assert!(
        note.contains("API key (MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY)"),
        "{note}"
    );
    assert!(!note.contains("sec") && !note.contains("priv\""), "{note}");

    let token = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "sec"),
    ]))
    .unwrap();
    assert!(matches!(
        token.credentials.clone().kind,
        CredentialKind::Bearer(_)
    ));
    assert_eq!(token.ignored.len(), 1);

    let alone = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
    ]))
    .unwrap();
    assert_eq!(alone.ignored_note(), None);
}

#[test]
fn the_terraform_and_mongodb_cli_spellings_and_base_urls_are_read() {
    let terraform = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_PUBLIC_KEY", " pub\n"),
        ("MONGODB_ATLAS_PRIVATE_KEY", "priv"),
        ("MONGODB_ATLAS_BASE_URL", "https://cloud-qa.mongodb.com/"),
        ("MONGODB_ATLAS_ORG_ID", "org1"),
    ]))
    .unwrap();
    assert!(matches!(
        terraform.credentials.clone().kind,
        CredentialKind::ApiKey { ref public_key, .. } if public_key == "pub"
    ));
    assert_eq!(
        terraform.base_url.as_deref(),
        Some("https://cloud-qa.mongodb.com/")
    );
    assert_eq!(terraform.org_id.as_deref(), Some("org1"));

    let mcli = EnvSettings::from_lookup(env(&[
        ("MCLI_PUBLIC_API_KEY", "pub"),
        ("MCLI_PRIVATE_API_KEY", "priv"),
        ("MCLI_OPS_MANAGER_URL", "https://om.example.com/"),
        ("MCLI_PROJECT_ID", "p1"),
    ]))
    .unwrap();
    assert_eq!(mcli.base_url.as_deref(), Some("https://om.example.com/"));
    assert_eq!(mcli.project_id.as_deref(), Some("p1"));

    let gov = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
        ("MONGODB_ATLAS_IS_MONGODBGOV_CLOUD", "true"),
    ]))
    .unwrap();
    assert_eq!(
        gov.base_url.as_deref(),
        Some("https://cloud.mongodbgov.com")
    );
}

#[test]
fn half_a_pair_or_nothing_is_refused_with_the_variable_to_set() {
    let half = EnvSettings::from_lookup(env(&[
        ("MONGODB_ATLAS_ACCESS_TOKEN", "tok"),
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
    ]));
    assert!(
        matches!(half, Err(Error::Config { ref message }) if message.contains("MONGODB_ATLAS_CLIENT_SECRET is not")),
        "{half:?}"
    );
    let other_half = EnvSettings::from_lookup(env(&[("MCLI_PRIVATE_API_KEY", "priv")]));
    assert!(
        matches!(other_half, Err(Error::Config { ref message }) if message.contains("MCLI_PUBLIC_API_KEY is not")),
        "{other_half:?}"
    );
    let none = EnvSettings::from_lookup(env(&[("MONGODB_ATLAS_BASE_URL", "https://x")]));
    assert!(
        matches!(none, Err(Error::Config { ref message }) if message.contains("no Atlas credentials")),
        "{none:?}"
    );
}
