//! Lowering operations: paths, parameters and responses, refusing what the client cannot send
//! (another HTTP method, a request body, a parameter style it does not write).

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use super::Lowering;
use crate::error::{Error, pointer_token};
use crate::model::*;
use crate::naming::{self, Namespace};

impl Lowering<'_> {
    /// Every operation of every path, in path order; a path item the client cannot use is
    /// refused here, its operations in `operation`.
    pub(super) fn paths(&mut self, doc: &OpenAPI) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        for (path, item) in &doc.paths.paths {
            let pointer = format!("/paths/{}", pointer_token(path));
            let ReferenceOr::Item(item) = item else {
                return Err(Error::spec(
                    pointer,
                    "path item references are not supported",
                ));
            };
            let openapiv3::PathItem {
                summary: _,
                description: _,
                get: _,
                put: _,
                post: _,
                delete: _,
                options: _,
                head: _,
                patch: _,
                trace: _,
                servers,
                parameters,
                extensions: _,
            } = item;
            if !servers.is_empty() {
                return Err(Error::spec(
                    format!("{pointer}/servers"),
                    "unsupported construct: `servers` on a path (the client has one base URL)",
                ));
            }
            for (method, operation) in item.iter() {
                operations
                    .push(self.operation(path, method, operation, parameters, doc, &pointer)?);
            }
        }
        Ok(operations)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        path_params: &[ReferenceOr<Parameter>],
        doc: &OpenAPI,
        path_pointer: &str,
    ) -> Result<Operation, Error> {
        let pointer = format!("{path_pointer}/{method}");
        // Every field is named, so a field a new `openapiv3` adds does not go unread.
        let openapiv3::Operation {
            tags: _, // read by the subset
            summary,
            description,
            external_docs: _, // the reference link is `x-xgen-docs-url`
            operation_id,
            parameters: own_params,
            request_body,
            responses,
            callbacks,
            deprecated,
            security: _, // every request authenticates the way the client is configured
            servers,
            extensions,
        } = op;
        let http_method = http_method(method, &pointer)?;
        if request_body.is_some() {
            return Err(Error::spec(
                format!("{pointer}/requestBody"),
                "unsupported construct: a request body (the client sends none)",
            ));
        }
        if !callbacks.is_empty() {
            return Err(Error::spec(
                format!("{pointer}/callbacks"),
                "unsupported construct: `callbacks`",
            ));
        }
        if !servers.is_empty() {
            return Err(Error::spec(
                format!("{pointer}/servers"),
                "unsupported construct: `servers` on an operation (the client has one base URL)",
            ));
        }
        let openapiv3::Responses {
            default: default_response,
            responses,
            extensions: _,
        } = responses;
        if default_response.is_some() {
            return Err(Error::spec(
                format!("{pointer}/responses/default"),
                "unsupported construct: a `default` response (every status must be explicit)",
            ));
        }
        let Some(id) = operation_id.clone() else {
            return Err(Error::spec(pointer, "operation has no operationId"));
        };
        let all = path_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")));
        let own = own_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let params = self.parameters(all.chain(own), &id, doc)?;
        check_path_template(path, &params, &pointer)?;
        let (accept, response, error_statuses) = self.responses(responses, &id, &pointer)?;
        Ok(Operation {
            method_name: naming::method_name(&id, &pointer)?,
            builder_name: naming::builder_name(&id, &pointer)?,
            id,
            http_method,
            path: path.to_string(),
            pointer,
            summary: summary.clone(),
            description: description.clone(),
            docs_url: extensions
                .get("x-xgen-docs-url")
                .and_then(Value::as_str)
                .map(str::to_string),
            deprecated: *deprecated,
            params,
            accept,
            // Decided once the types are complete: see `parse::decisions`.
            api_version: String::new(),
            envelope: None,
            response,
            paging: None,
            error_statuses,
            example_args: Vec::new(),
        })
    }

    /// The parameters of an operation, path-level ones first, each with its pointer.
    fn parameters<'d>(
        &mut self,
        declared: impl Iterator<Item = (&'d ReferenceOr<Parameter>, String)>,
        operation: &str,
        doc: &'d OpenAPI,
    ) -> Result<Vec<Param>, Error> {
        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        for (param, at) in declared {
            let (param, at) = resolve_parameter(param, at, doc)?;
            let lowered = self.parameter(param, operation, &at)?;
            param_names.claim(&lowered.rust_name, &lowered.wire_name, &at)?;
            // An operation's own parameter replaces a path-level one of the same name.
            params.retain(|p: &Param| p.wire_name != lowered.wire_name);
            params.push(lowered);
        }
        Ok(params)
    }

    /// The success response (its media type and type) and the error statuses. Only the status
    /// of an error response is kept: the runtime decodes every error body as one type.
    fn responses(
        &mut self,
        responses: &indexmap::IndexMap<StatusCode, ReferenceOr<openapiv3::Response>>,
        operation: &str,
        pointer: &str,
    ) -> Result<(String, TypeRef, Vec<u16>), Error> {
        let mut success = None;
        let mut error_statuses = Vec::new();
        for (status, response) in responses {
            let StatusCode::Code(code) = status else {
                return Err(Error::spec(
                    format!("{pointer}/responses"),
                    "status ranges (2XX) are not supported",
                ));
            };
            if (200..300).contains(code) {
                if success.is_some() {
                    return Err(Error::spec(
                        format!("{pointer}/responses/{code}"),
                        "more than one success response",
                    ));
                }
                let at = format!("{pointer}/responses/{code}");
                success = Some(self.success_response(response, operation, &at)?);
            } else {
                error_statuses.push(*code);
            }
        }
        let Some((accept, response)) = success else {
            return Err(Error::spec(
                format!("{pointer}/responses"),
                "the operation has no success response",
            ));
        };
        Ok((accept, response, error_statuses))
    }

    /// The media type the client asks for and the type its body decodes as.
    fn success_response(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        operation: &str,
        at: &str,
    ) -> Result<(String, TypeRef), Error> {
        let ReferenceOr::Item(openapiv3::Response {
            description: _,
            headers: _, // the client reads the headers it knows (rate limits) itself
            content,
            links: _,
            extensions: _,
        }) = response
        else {
            return Err(Error::spec(at, "success responses must be inline"));
        };
        // JSON media types first, then the newest version (dates sort as text).
        let mut media: Vec<(&String, &openapiv3::MediaType)> = content.iter().collect();
        media.sort_by_key(|(name, _)| (name.ends_with("json"), *name));
        let Some((accept, content)) = media.last() else {
            return Err(Error::spec(at, "the success response has no content"));
        };
        let media_pointer = format!("{at}/content/{}", pointer_token(accept));
        if !accept.ends_with("json") {
            return Err(Error::spec(
                media_pointer,
                format!(
                    "unsupported construct: media type `{accept}` (the client decodes JSON only)"
                ),
            ));
        }
        let openapiv3::MediaType {
            schema,
            example: _,
            examples: _,
            encoding,
            extensions: _,
        } = content;
        if !encoding.is_empty() {
            return Err(Error::spec(
                format!("{media_pointer}/encoding"),
                "unsupported construct: `encoding`",
            ));
        }
        if media.len() > 1 {
            self.warnings.push(format!(
                "{at}: several media types; using the newest, `{accept}`"
            ));
        }
        let Some(schema) = schema else {
            return Err(Error::spec(
                media_pointer,
                "the success response has no schema",
            ));
        };
        let ty = self.schema_or_ref(
            schema,
            operation,
            &format!("{operation}.response"),
            &format!("{media_pointer}/schema"),
        )?;
        Ok(((*accept).clone(), ty))
    }

    fn parameter(
        &mut self,
        param: &Parameter,
        operation: &str,
        pointer: &str,
    ) -> Result<Param, Error> {
        let (data, location) = parameter_location(param, pointer)?;
        let openapiv3::ParameterData {
            name: _,
            description: _,
            required: _,
            deprecated: _, // not marked on the setter: a request still works
            format,
            example: _,
            examples: _,
            explode,
            extensions: _,
        } = data;
        if *explode == Some(false) {
            // Lists are sent as repeated keys (`form`, exploded), never comma-joined.
            return Err(unsendable(pointer, "`explode: false`"));
        }
        let ParameterSchemaOrContent::Schema(schema) = format else {
            return Err(Error::spec(
                pointer,
                "parameters with `content` are not supported",
            ));
        };
        let schema_pointer = format!("{pointer}/schema");
        let key = format!("{operation}.{}", data.name);
        let ty = self.schema_or_ref(schema, operation, &key, &schema_pointer)?;
        let (default, constraints) = parameter_constraints(schema, &schema_pointer)?;
        self.check_parameter_type(&ty, location, data.required, pointer)?;
        let rust_name = self.naming.field_name(operation, &data.name, pointer)?;
        Ok(Param {
            wire_name: data.name.clone(),
            rust_name,
            location,
            doc: data.description.clone(),
            required: data.required,
            ty,
            default,
            constraints,
        })
    }
}

impl Lowering<'_> {
    /// Parameters the client can send: a required string in the path (it is percent-encoded
    /// into one segment); in the query a scalar, timestamp or string enum, or a list of them.
    fn check_parameter_type(
        &self,
        ty: &TypeRef,
        location: ParamLocation,
        required: bool,
        pointer: &str,
    ) -> Result<(), Error> {
        if location == ParamLocation::Path {
            if !required {
                return Err(Error::spec(
                    pointer,
                    "a path parameter must be `required: true`",
                ));
            }
            if *ty != TypeRef::String {
                return Err(Error::spec(
                    pointer,
                    "unsupported construct: path parameters must be strings",
                ));
            }
            return Ok(());
        }
        let scalar = |ty: &TypeRef| match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::Number
            | TypeRef::DateTime => true,
            TypeRef::Named(key) => matches!(self.types.get(key), Some(TypeDef::Enum(_))),
            _ => false,
        };
        let sendable = match ty {
            TypeRef::List(item) => scalar(item),
            other => scalar(other),
        };
        if sendable {
            Ok(())
        } else {
            Err(Error::spec(
                pointer,
                "unsupported construct: a query parameter must be a string, boolean, number, timestamp or string enum, or a list of them",
            ))
        }
    }
}

/// The method of an operation the client can send (GET only).
fn http_method(method: &str, pointer: &str) -> Result<HttpMethod, Error> {
    match HttpMethod::from_openapi(method) {
        Some(HttpMethod::Get) => Ok(HttpMethod::Get),
        Some(other) => Err(Error::spec(
            pointer,
            format!(
                "unsupported construct: HTTP method {other} (the client sends GET requests only)"
            ),
        )),
        None => Err(Error::spec(
            pointer,
            format!("unknown HTTP method `{method}`"),
        )),
    }
}

/// A parameter and its pointer, following a `#/components/parameters/` reference to where the
/// parameter is written, so errors point there.
fn resolve_parameter<'d>(
    param: &'d ReferenceOr<Parameter>,
    at: String,
    doc: &'d OpenAPI,
) -> Result<(&'d Parameter, String), Error> {
    match param {
        ReferenceOr::Item(p) => Ok((p, at)),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .unwrap_or(reference);
            let found = doc.components.as_ref().and_then(|c| c.parameters.get(name));
            match found {
                Some(ReferenceOr::Item(p)) => {
                    Ok((p, format!("/components/parameters/{}", pointer_token(name))))
                }
                _ => Err(Error::spec(
                    at,
                    format!("`$ref: {reference}` is not a parameter"),
                )),
            }
        }
    }
}

/// Every `{name}` of the path template is a whole segment with a declared path parameter: the
/// client fills segments, it does not splice text.
fn check_path_template(path: &str, params: &[Param], pointer: &str) -> Result<(), Error> {
    for segment in path.split('/').filter(|s| s.contains(['{', '}'])) {
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.contains(['{', '}']))
            .ok_or_else(|| {
                Error::spec(
                    pointer,
                    format!(
                        "unsupported construct: path segment `{segment}` mixes a template parameter with text"
                    ),
                )
            })?;
        if !params
            .iter()
            .any(|p| p.wire_name == name && p.location == ParamLocation::Path)
        {
            return Err(Error::spec(
                pointer,
                format!("path parameter `{name}` is not declared"),
            ));
        }
    }
    Ok(())
}

/// Where a parameter goes, refusing the locations and serialization styles the client does not
/// send.
fn parameter_location<'p>(
    param: &'p Parameter,
    pointer: &str,
) -> Result<(&'p openapiv3::ParameterData, ParamLocation), Error> {
    match param {
        Parameter::Path {
            parameter_data,
            style: openapiv3::PathStyle::Simple,
        } => Ok((parameter_data, ParamLocation::Path)),
        Parameter::Path { .. } => Err(unsendable(
            pointer,
            "a path parameter style other than `simple`",
        )),
        Parameter::Query {
            parameter_data,
            allow_reserved,
            style,
            allow_empty_value,
        } => {
            if *allow_reserved {
                return Err(unsendable(pointer, "`allowReserved`"));
            }
            if *style != openapiv3::QueryStyle::Form {
                return Err(unsendable(
                    pointer,
                    "a query parameter style other than `form`",
                ));
            }
            if *allow_empty_value == Some(true) {
                return Err(unsendable(pointer, "`allowEmptyValue`"));
            }
            Ok((parameter_data, ParamLocation::Query))
        }
        Parameter::Header { .. } | Parameter::Cookie { .. } => Err(Error::spec(
            pointer,
            "header and cookie parameters are not supported",
        )),
    }
}

fn unsendable(pointer: &str, what: &str) -> Error {
    Error::spec(
        pointer,
        format!("unsupported construct: {what} (the client cannot send it as the spec says)"),
    )
}

/// The default and the constraints the client checks before sending, from an inline schema
/// (those of a referenced schema are not read). A pattern must compile: the client enforces it.
fn parameter_constraints(
    schema: &ReferenceOr<Schema>,
    schema_pointer: &str,
) -> Result<(Option<Value>, Constraints), Error> {
    let mut constraints = Constraints::default();
    let mut default = None;
    if let ReferenceOr::Item(schema) = schema {
        default = schema.schema_data.default.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => constraints.pattern = s.pattern.clone(),
            SchemaKind::Type(Type::Integer(i)) => {
                constraints.minimum = i.minimum;
                constraints.maximum = i.maximum;
            }
            SchemaKind::Type(Type::Array(a)) => {
                constraints.max_items = a.max_items;
                if let Some(ReferenceOr::Item(items)) = &a.items
                    && let SchemaKind::Type(Type::String(s)) = &items.schema_kind
                {
                    constraints.pattern = s.pattern.clone();
                }
            }
            _ => {}
        }
    }
    if let Some(pattern) = &constraints.pattern
        && let Err(e) = regex::Regex::new(pattern)
    {
        return Err(Error::spec(
            schema_pointer,
            format!("the pattern cannot be enforced by the client: {e}"),
        ));
    }
    Ok((default, constraints))
}
