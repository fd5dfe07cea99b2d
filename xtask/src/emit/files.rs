//! Assembling the crate's files: one module per type, the operations, the copied hand-written
//! runtime, and the non-Rust files rendered from `templates/`.

use std::collections::BTreeMap;
use std::path::Path;

use quote::{format_ident, quote};
use serde::Serialize;

use super::{RUST_HEADER, Types, enums, format_file, operations, structs, unions};
use crate::config::Config;
use crate::error::Error;
use crate::model::{Api, TypeDef, TypeRef};
use crate::naming;

/// Relative path inside `generated/` -> contents.
pub type Files = BTreeMap<String, String>;

#[derive(Serialize)]
struct TemplateContext<'a> {
    crate_version: &'a str,
    /// The manifest's `repository`, from `generator.toml`.
    repository: Option<&'a str>,
    /// Whether the docs copy the spec's prose, and so carry its licence.
    spec_prose: bool,
    /// The spec's licence (`info.license`): name and address.
    spec_license: Option<(String, Option<String>)>,
    api_title: &'a str,
    /// Whether the crate has the event lists the README's and `examples/`'s code calls.
    event_lists: bool,
    /// Whether the crate has `Client::follow_organization`.
    organization: bool,
    operations: Vec<OperationSummary>,
    unions: Vec<UnionSummary>,
    dependencies: &'a str,
}

#[derive(Serialize)]
struct OperationSummary {
    id: String,
    method: String,
    http: String,
    path: String,
    summary: String,
}

#[derive(Serialize)]
struct UnionSummary {
    rust_name: String,
    spec_name: String,
    views: usize,
    names: usize,
}

pub fn emit_crate(api: &Api, config: &Config, templates: &Path) -> Result<Files, Error> {
    let types = Types { api };
    let mut files = emit_models(&types)?;
    files.extend(emit_operations(&types)?);
    let event_lists = has_event_lists(api);
    // Hand-written pieces are copied verbatim, behind the generated-file header.
    copy_rust_dir(&templates.join("support"), "src/support", &mut files)?;
    copy_runtime(&templates.join("runtime/src"), "src/runtime", &mut files)?;
    if event_lists {
        copy_rust_dir(&templates.join("examples"), "examples", &mut files)?;
    }
    let organization = has_organization_follow(api);
    if organization {
        copy_rust_dir(
            &templates.join("organization"),
            "src/organization",
            &mut files,
        )?;
    }
    files.insert(
        "src/lib.rs".to_string(),
        emit_lib(api, event_lists, organization)?,
    );
    files.extend(render_templates(
        api,
        config,
        templates,
        event_lists,
        organization,
    )?);
    Ok(files)
}

/// The operations `examples/` and the README's examples call. A `generator.toml` that cuts other
/// tags gets a crate without those examples, rather than one whose examples do not build.
const EVENT_LISTS: [&str; 2] = ["listGroupEvents", "listOrgEvents"];

fn has_event_lists(api: &Api) -> bool {
    EVENT_LISTS.iter().all(|id| {
        api.operations
            .iter()
            .any(|op| op.id == *id && is_event_list(op))
    })
}

/// `Client::follow_organization` (templates/organization/) calls the two event lists and the
/// list of an organization's projects.
fn has_organization_follow(api: &Api) -> bool {
    has_event_lists(api)
        && api
            .operations
            .iter()
            .any(|op| op.id == ORG_PROJECTS && op.paging.is_some())
}

/// The list of an organization's projects, which following an organization needs.
const ORG_PROJECTS: &str = "getOrgGroups";

/// A list of events: the README's code calls its `.stream()`, `.follow()` and `.types()`.
fn is_event_list(op: &crate::model::Operation) -> bool {
    op.paging
        .as_ref()
        .is_some_and(|paging| paging.events.is_some())
}

/// One module per type, named after the type, and `src/models/mod.rs`. Types are emitted and
/// formatted on every core: token streams cannot cross threads, so each thread returns
/// finished text.
fn emit_models(types: &Types) -> Result<Files, Error> {
    let api = types.api;
    let mut files = Files::new();
    for part in emit_types_on_threads(types)? {
        files.extend(part);
    }
    let mut modules: Vec<(String, String)> = api
        .types
        .values()
        .map(|def| {
            (
                naming::module_name(def.rust_name()),
                def.rust_name().to_string(),
            )
        })
        .collect();
    modules.sort();
    let mods = modules.iter().map(|(m, t)| {
        let m = format_ident!("{}", m);
        let t = format_ident!("{}", t);
        quote!(mod #m; pub use #m::#t;)
    });
    let kinds = api.types.values().filter_map(|def| match def {
        TypeDef::Enum(e) => match &e.labels {
            Some(
                crate::model::LabelKind::Kind { rust_name, .. }
                | crate::model::LabelKind::Category { rust_name, .. },
            ) => {
                let m = format_ident!("{}", naming::module_name(&e.rust_name));
                let k = format_ident!("{}", rust_name);
                Some(quote!(pub use #m::#k;))
            }
            None => None,
        },
        TypeDef::Union(u) => {
            let m = format_ident!("{}", naming::module_name(&u.rust_name));
            let n = format_ident!("{}", naming::non_conforming(&u.rust_name));
            Some(quote!(pub use #m::#n;))
        }
        _ => None,
    });
    files.insert(
        "src/models/mod.rs".to_string(),
        format_file(
            "src/models/mod.rs",
            quote! {
                //! Typed models of every schema the Events operations reach, one module per type.
                #( #mods )*
                #( #kinds )*
            },
        )?,
    );
    Ok(files)
}

/// The model files of every type, emitted on `emit_threads()` threads: largest first, each to
/// the least loaded thread, so that the few huge enums and unions do not end up on one thread.
fn emit_types_on_threads(types: &Types) -> Result<Vec<Vec<(String, String)>>, Error> {
    let mut entries: Vec<(&String, &TypeDef)> = types.api.types.iter().collect();
    entries.sort_by_key(|(_, def)| std::cmp::Reverse(emit_weight(def)));
    let threads = super::emit_threads();
    let mut parts: Vec<(usize, Vec<(&String, &TypeDef)>)> = vec![(0, Vec::new()); threads];
    for entry in entries {
        if let Some(part) = parts.iter_mut().min_by_key(|(load, _)| *load) {
            part.0 += emit_weight(entry.1);
            part.1.push(entry);
        }
    }
    let parts: Vec<Vec<(&String, &TypeDef)>> = parts.into_iter().map(|(_, part)| part).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(|| emit_types(types, part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::Emit {
                        file: "src/models".to_string(),
                        message: "an emitter thread panicked".to_string(),
                    })
                })
            })
            .collect()
    })
}

/// One module per operation, and `src/operations/mod.rs` with `Paged` for each page type the
/// operations return.
fn emit_operations(types: &Types) -> Result<Files, Error> {
    let mut files = Files::new();
    let mut op_mods = Vec::new();
    let mut paged: BTreeMap<&str, &crate::model::Paging> = BTreeMap::new();
    for op in &types.api.operations {
        let module = format_ident!("{}", op.method_name);
        let path = format!("src/operations/{}.rs", op.method_name);
        files.insert(
            path.clone(),
            format_file(&path, operations::emit(types, op))?,
        );
        let builder = format_ident!("{}", op.builder_name);
        op_mods.push(quote!(mod #module; pub use #module::#builder;));
        if let (Some(paging), TypeRef::Named(page)) = (&op.paging, &op.response) {
            paged.insert(page, paging);
        }
    }
    let paged_impls = paged
        .iter()
        .map(|(page, paging)| operations::paged_impl(types, page, paging));
    files.insert(
        "src/operations/mod.rs".to_string(),
        format_file(
            "src/operations/mod.rs",
            quote! {
                //! Request builders of the operations, made by the methods of [`Client`](crate::Client).
                #( #op_mods )*
                #( #paged_impls )*
            },
        )?,
    );
    Ok(files)
}

fn unions(api: &Api) -> impl Iterator<Item = &crate::model::UnionDef> {
    api.types.values().filter_map(|d| match d {
        TypeDef::Union(u) => Some(u),
        _ => None,
    })
}

/// `src/lib.rs`: the modules and the crate root's re-exports.
fn emit_lib(api: &Api, event_lists: bool, organization: bool) -> Result<String, Error> {
    let reexports: Vec<_> = unions(api)
        .map(|u| format_ident!("{}", u.rust_name))
        .collect();
    let union_reexports =
        (!reexports.is_empty()).then(|| quote!(pub use models::{ #( #reexports ),* };));
    // The copied helpers serve every generated construct; a subset without event unions or
    // paged lists (another tag in generator.toml) leaves some unused. They are linted where
    // they are edited (the runtime crate) and in the Events crate, which uses them all.
    let helpers_lints = (!event_lists).then(|| quote!(#[allow(dead_code, unused_imports)]));
    // Every item that needs the `client` feature says so in docs built with `--cfg docsrs`
    // (docs.rs, see the manifest), which documents all features.
    let client = quote! {
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    };
    let (organization_mod, organization_reexports) = if organization {
        (
            quote! {
                #client
                mod organization;
            },
            quote! {
                #client
                pub use organization::{OrganizationFollow, OrganizationItem};
            },
        )
    } else {
        (quote!(), quote!())
    };
    format_file(
        "src/lib.rs",
        quote! {
            #![doc = include_str!("../README.md")]
            #![cfg_attr(docsrs, feature(doc_cfg))]
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]

            #[rustfmt::skip]
            pub mod models;
            #helpers_lints
            #[rustfmt::skip]
            mod support;
            #client
            #[rustfmt::skip]
            pub mod operations;
            #client
            #helpers_lints
            #[rustfmt::skip]
            mod runtime;
            #organization_mod

            // One short line each: prettyplease and rustfmt then agree on the layout.
            #union_reexports
            #organization_reexports
            #client
            pub use runtime::EnvSettings;
            #[cfg(feature = "test-util")]
            #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
            pub use runtime::test_util;
            #client
            pub use runtime::{Checkpoint, Follow, Items, WithJson};
            #client
            pub use runtime::{Client, ClientBuilder, Credentials, Error};
            #client
            pub use runtime::{Clock, SystemClock, TokioClock};
            #client
            pub use runtime::{DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
            #client
            pub use runtime::{DropReason, Notice, OrgCheckpoint, OrgError};
            #client
            pub use runtime::{ENV_CLIENT_ID, ENV_CLIENT_SECRET};
            #client
            pub use runtime::{ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY};
            #client
            pub use runtime::{MAX_TYPES_PER_QUERY, TypeSelection};
            #client
            pub use runtime::{OrgFollow, OrgItem, Progress, Scope, Shard, shard_of};
            #client
            pub use runtime::{Page, Pages};
            #client
            pub use runtime::{RateLimit, Response, RetryPolicy};
            pub use support::{Conformance, Disagreement, DisagreementKind};
            pub use support::{EventTypeName, UnknownCategory};
            pub use support::{Extra, Timestamp, UnknownValue};
        },
    )
}

/// The non-Rust files (`Cargo.toml`, `README.md`, `LICENSE`, `CHANGELOG.md`) rendered from
/// `templates/`.
fn render_templates(
    api: &Api,
    config: &Config,
    templates: &Path,
    event_lists: bool,
    organization: bool,
) -> Result<Files, Error> {
    // The crate's dependency list: without it the crate would not build, so it must exist.
    let dependencies_path = templates.join("runtime/DEPENDENCIES.toml");
    let dependencies = std::fs::read_to_string(&dependencies_path)
        .map_err(|e| Error::io(&dependencies_path, e))?;
    let context = TemplateContext {
        crate_version: &config.crate_version,
        repository: config.repository.as_deref(),
        spec_prose: config.spec_prose,
        spec_license: api
            .info
            .license
            .as_ref()
            .map(|l| (l.name.clone(), l.url.clone())),
        api_title: &api.info.title,
        event_lists,
        organization,
        operations: api
            .operations
            .iter()
            .map(|op| OperationSummary {
                id: op.id.clone(),
                method: op.method_name.clone(),
                http: op.http_method.to_string(),
                path: op.path.clone(),
                summary: op.summary.clone().unwrap_or_else(|| format!("`{}`", op.id)),
            })
            .collect(),
        unions: unions(api)
            .map(|u| UnionSummary {
                rust_name: u.rust_name.clone(),
                spec_name: u.spec_name.clone(),
                views: u.variants.len(),
                names: u.variants.iter().map(|v| v.names.len()).sum(),
            })
            .collect(),
        dependencies: &dependencies,
    };
    let mut files = Files::new();
    for (template, out) in [
        ("Cargo.toml.j2", "Cargo.toml"),
        ("README.md.j2", "README.md"),
        ("LICENSE.j2", "LICENSE"),
        ("CHANGELOG.md.j2", "CHANGELOG.md"),
    ] {
        files.insert(out.to_string(), render(templates, template, &context)?);
    }
    Ok(files)
}

/// Roughly how much code a type emits, to balance the emitter threads.
fn emit_weight(def: &TypeDef) -> usize {
    match def {
        TypeDef::Enum(e) => 8 * e.values.len(),
        TypeDef::Struct(s) => 20 + 15 * s.fields.len(),
        TypeDef::Union(u) => 40 * u.variants.len(),
    }
}

/// The model files of some types: path and formatted text.
fn emit_types(types: &Types, part: &[(&String, &TypeDef)]) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::with_capacity(part.len());
    for (key, def) in part {
        let tokens = match def {
            TypeDef::Enum(e) => {
                let kind = enums::emit_kind(e);
                let category = enums::emit_category(e);
                let body = enums::emit(e);
                quote!(#body #kind #category)
            }
            TypeDef::Struct(s) => structs::emit(types, key, s),
            TypeDef::Union(u) => unions::emit(types, u),
        };
        let path = format!("src/models/{}.rs", naming::module_name(def.rust_name()));
        let text = format_file(&path, tokens)?;
        out.push((path, text));
    }
    Ok(out)
}

fn render(templates: &Path, name: &str, context: &TemplateContext) -> Result<String, Error> {
    let path = templates.join(name);
    let source = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let mut env = minijinja::Environment::new();
    env.set_keep_trailing_newline(true);
    env.add_template(name, &source)
        .map_err(|e| Error::Template {
            name: name.to_string(),
            message: e.to_string(),
        })?;
    env.get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| Error::Template {
            name: name.to_string(),
            message: e.to_string(),
        })
}

fn copy_rust_dir(from: &Path, to: &str, files: &mut Files) -> Result<(), Error> {
    for (name, text) in rust_files(from)? {
        let source = format!(
            "templates/{}/{name}",
            from.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        files.insert(format!("{to}/{name}"), with_copy_header(&source, &text));
    }
    Ok(())
}

/// Copies the runtime crate's sources (`templates/runtime/src/`, a workspace crate compiled and
/// tested in place) as the `runtime` module: every file but the crate root `lib.rs`, without
/// test code. Each top-level item marked `#[cfg(test)]` is left out, with its doc comment, and
/// so is a file such an item declares (`#[cfg(test)] mod tests;` leaves out `tests.rs`).
fn copy_runtime(from: &Path, to: &str, files: &mut Files) -> Result<(), Error> {
    let sources = rust_files(from)?;
    let mut test_only = vec!["lib.rs".to_string()];
    let mut kept = Vec::new();
    for (name, text) in &sources {
        let path = from.join(name);
        let (text, modules) = without_test_items(text).map_err(|message| Error::Template {
            name: path.display().to_string(),
            message,
        })?;
        test_only.extend(modules.into_iter().map(|m| format!("{m}.rs")));
        kept.push((name, text));
    }
    for (name, text) in kept {
        if !test_only.contains(name) {
            let source = format!("templates/runtime/src/{name}");
            files.insert(format!("{to}/{name}"), with_copy_header(&source, &text));
        }
    }
    Ok(())
}

/// `text` without its top-level `#[cfg(test)]` items (rustfmt-formatted source: such an item
/// ends with its line ending in `;`, or with the first `}` at the start of a line), and the
/// names of the modules those items declare from other files.
pub fn without_test_items(text: &str) -> Result<(String, Vec<String>), String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    let mut modules = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] != "#[cfg(test)]" {
            out.push(lines[i]);
            i += 1;
            continue;
        }
        // Its doc comment and the blank line before it go too.
        while out.last().is_some_and(|l| l.starts_with("///")) {
            out.pop();
        }
        if out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        let start = i + 1;
        let Some(first) = lines.get(start) else {
            return Err(format!("line {}: `#[cfg(test)]` marks nothing", i + 1));
        };
        if let Some(name) = first
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        {
            modules.push(name.to_string());
        }
        let end = if first.ends_with(';') {
            Some(start)
        } else {
            (start..lines.len()).find(|&j| lines[j] == "}")
        };
        let Some(end) = end else {
            return Err(format!(
                "line {}: the `#[cfg(test)]` item has no `}}` at the start of a line",
                i + 1
            ));
        };
        i = end + 1;
    }
    let mut text = out.join("\n");
    text.push('\n');
    Ok((text, modules))
}

/// The `.rs` files directly in `from`, sorted by name, with their text.
fn rust_files(from: &Path) -> Result<Vec<(String, String)>, Error> {
    let entries = std::fs::read_dir(from).map_err(|e| Error::io(from, e))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".rs") {
            names.push(name);
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = from.join(&name);
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            Ok((name, text))
        })
        .collect()
}

fn with_copy_header(source: &str, text: &str) -> String {
    let header = RUST_HEADER.replace(
        "from the Atlas OpenAPI spec. Do not edit by hand.",
        &format!("as a copy of {source}. Edit that file, not this one."),
    );
    format!("{header}\n{text}")
}

#[cfg(test)]
mod tests {
    use super::without_test_items;

    #[test]
    fn test_items_are_left_out_of_the_runtime_copy() {
        let source = "use a;\n\n#[cfg(test)]\nmod tests;\nmod b;\n\n/// Helper.\n#[cfg(test)]\n\
                      pub fn helper(\n    x: u8,\n) {\n    body();\n}\n\nfn kept() {}\n\n\
                      #[cfg(test)]\nmod more {\n    #[test]\n    fn t() {}\n}\n";
        let (text, modules) = without_test_items(source).unwrap();
        assert_eq!(text, "use a;\nmod b;\n\nfn kept() {}\n");
        assert_eq!(modules, ["tests"]);
        assert!(without_test_items("#[cfg(test)]\nfn open() {\n").is_err());
    }
}
