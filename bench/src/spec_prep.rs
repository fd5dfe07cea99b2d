// Shared by build.rs (via `include!`) and `src/bin/progenitor_gen.rs`: the only spec edit
// progenitor needs, plus the generation itself.

/// Relabels every vendor media type (`application/vnd.atlas.*+json`) as `application/json`,
/// which is the only JSON media type progenitor types. Returns how many were relabelled.
pub fn relabel_vendor_media_types(value: &mut serde_json::Value) -> usize {
    let mut count = 0;
    match value {
        serde_json::Value::Object(map) => {
            let vendor: Vec<String> = map
                .keys()
                .filter(|k| k.starts_with("application/vnd.atlas.") && k.ends_with("+json"))
                .cloned()
                .collect();
            for key in vendor {
                let inner = map.remove(&key).expect("key listed above");
                map.insert("application/json".to_owned(), inner);
                count += 1;
            }
            for inner in map.values_mut() {
                count += relabel_vendor_media_types(inner);
            }
        }
        serde_json::Value::Array(items) => {
            for inner in items {
                count += relabel_vendor_media_types(inner);
            }
        }
        _ => {}
    }
    count
}

/// Runs progenitor on the subset document (after relabelling) and returns formatted Rust.
pub fn progenitor_generate(subset_json: &str) -> Result<String, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(subset_json).map_err(|e| format!("subset JSON: {e}"))?;
    relabel_vendor_media_types(&mut value);
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(value).map_err(|e| format!("openapiv3: {e}"))?;
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("syn: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
