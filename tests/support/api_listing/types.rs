//! Types, bounds, generics and function signatures written as Rust, from
//! rustdoc's JSON description of them.

use serde_json::Value;

use super::doc::Doc;

/// Writes types and signatures with the names [`Doc::type_path`] gives.
pub struct Writer<'d, 'a> {
    pub doc: &'d Doc<'a>,
}

impl Writer<'_, '_> {
    pub fn ty(&self, ty: &Value) -> String {
        let Some((kind, inner)) = ty.as_object().and_then(|o| o.iter().next()) else {
            return "_".to_owned();
        };
        match kind.as_str() {
            "resolved_path" => self.path(inner),
            "generic" | "primitive" => inner.as_str().unwrap_or("_").to_owned(),
            "borrowed_ref" => {
                let lifetime = inner["lifetime"]
                    .as_str()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutability = if inner["is_mutable"] == true {
                    "mut "
                } else {
                    ""
                };
                let target = &inner["type"];
                // `&(dyn A + B)` needs its parentheses.
                let text = self.ty(target);
                let text = match target.get("dyn_trait") {
                    Some(d)
                        if d["traits"].as_array().map_or(0, Vec::len) > 1
                            || !d["lifetime"].is_null() =>
                    {
                        format!("({text})")
                    }
                    _ => text,
                };
                format!("&{lifetime}{mutability}{text}")
            }
            "raw_pointer" => {
                let mutability = if inner["is_mutable"] == true {
                    "mut"
                } else {
                    "const"
                };
                format!("*{mutability} {}", self.ty(&inner["type"]))
            }
            "slice" => format!("[{}]", self.ty(inner)),
            "array" => format!(
                "[{}; {}]",
                self.ty(&inner["type"]),
                inner["len"].as_str().unwrap_or("_")
            ),
            "tuple" => {
                let items: Vec<String> = list(inner).iter().map(|t| self.ty(t)).collect();
                if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(", "))
                }
            }
            "impl_trait" => format!("impl {}", self.bounds(inner)),
            "dyn_trait" => {
                let mut parts: Vec<String> = list(&inner["traits"])
                    .iter()
                    .map(|t| {
                        format!(
                            "{}{}",
                            self.higher_ranked(&t["generic_params"]),
                            self.path(&t["trait"])
                        )
                    })
                    .collect();
                if let Some(lifetime) = inner["lifetime"].as_str() {
                    parts.push(lifetime.to_owned());
                }
                format!("dyn {}", parts.join(" + "))
            }
            "qualified_path" => {
                let name = inner["name"].as_str().unwrap_or("_");
                let self_type = self.ty(&inner["self_type"]);
                let args = self.args(&inner["args"]);
                match inner.get("trait").filter(|t| !t.is_null()) {
                    Some(t) => format!("<{self_type} as {}>::{name}{args}", self.path(t)),
                    None => format!("{self_type}::{name}{args}"),
                }
            }
            "function_pointer" => {
                let sig = &inner["sig"];
                let inputs: Vec<String> = list(&sig["inputs"])
                    .iter()
                    .map(|pair| self.ty(&pair[1]))
                    .collect();
                format!(
                    "{}fn({}){}",
                    self.higher_ranked(&inner["generic_params"]),
                    inputs.join(", "),
                    self.output(&sig["output"])
                )
            }
            "pat" => self.ty(&inner["type"]),
            "infer" => "_".to_owned(),
            other => format!("<{other}>"),
        }
    }

    /// A path to a type or trait, with its generic arguments.
    pub fn path(&self, path: &Value) -> String {
        let written = path["path"].as_str().unwrap_or("_");
        format!(
            "{}{}",
            self.doc.type_path(path["id"].as_u64(), written),
            self.args(&path["args"])
        )
    }

    /// `<A, B, Item = C>` or `(A, B) -> C`; nothing when there are none.
    fn args(&self, args: &Value) -> String {
        if let Some(angle) = args.get("angle_bracketed") {
            let mut parts: Vec<String> = list(&angle["args"]).iter().map(|a| self.arg(a)).collect();
            for constraint in list(&angle["constraints"]) {
                let name = format!(
                    "{}{}",
                    constraint["name"].as_str().unwrap_or("_"),
                    self.args(&constraint["args"])
                );
                let binding = &constraint["binding"];
                if let Some(term) = binding.get("equality") {
                    let value = match term.get("type") {
                        Some(ty) => self.ty(ty),
                        None => term["constant"]["expr"].as_str().unwrap_or("_").to_owned(),
                    };
                    parts.push(format!("{name} = {value}"));
                } else if let Some(bounds) = binding.get("constraint") {
                    parts.push(format!("{name}: {}", self.bounds(bounds)));
                }
            }
            return if parts.is_empty() {
                String::new()
            } else {
                format!("<{}>", parts.join(", "))
            };
        }
        if let Some(paren) = args.get("parenthesized") {
            let inputs: Vec<String> = list(&paren["inputs"]).iter().map(|t| self.ty(t)).collect();
            return format!("({}){}", inputs.join(", "), self.output(&paren["output"]));
        }
        String::new()
    }

    fn arg(&self, arg: &Value) -> String {
        if let Some(lifetime) = arg.get("lifetime").and_then(Value::as_str) {
            return lifetime.to_owned();
        }
        if let Some(ty) = arg.get("type") {
            return self.ty(ty);
        }
        if let Some(constant) = arg.get("const") {
            return constant["expr"].as_str().unwrap_or("_").to_owned();
        }
        "_".to_owned()
    }

    /// ` -> T`, or nothing for `()`.
    fn output(&self, output: &Value) -> String {
        if output.is_null() {
            String::new()
        } else {
            format!(" -> {}", self.ty(output))
        }
    }

    /// Bounds joined with ` + `.
    pub fn bounds(&self, bounds: &Value) -> String {
        list(bounds)
            .iter()
            .map(|b| self.bound(b))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn bound(&self, bound: &Value) -> String {
        if let Some(t) = bound.get("trait_bound") {
            let modifier = match t["modifier"].as_str() {
                Some("maybe") => "?",
                Some("maybe_const") => "~const ",
                _ => "",
            };
            return format!(
                "{}{modifier}{}",
                self.higher_ranked(&t["generic_params"]),
                self.path(&t["trait"])
            );
        }
        if let Some(lifetime) = bound.get("outlives").and_then(Value::as_str) {
            return lifetime.to_owned();
        }
        if let Some(args) = bound.get("use") {
            let names: Vec<String> = list(args)
                .iter()
                .map(|a| {
                    a.get("lifetime")
                        .or_else(|| a.get("param"))
                        .and_then(Value::as_str)
                        .unwrap_or("_")
                        .to_owned()
                })
                .collect();
            return format!("use<{}>", names.join(", "));
        }
        "_".to_owned()
    }

    /// `for<'a> ` for higher-ranked bounds; nothing otherwise.
    fn higher_ranked(&self, params: &Value) -> String {
        let params = self.params(params);
        if params.is_empty() {
            String::new()
        } else {
            format!("for{params} ")
        }
    }

    /// `<'a, T: Bound, const N: usize>` from a list of generic parameters,
    /// leaving out those that stand for `impl Trait` arguments.
    pub fn params(&self, params: &Value) -> String {
        let parts: Vec<String> = list(params)
            .iter()
            .filter_map(|p| {
                let name = p["name"].as_str().unwrap_or("_");
                let kind = &p["kind"];
                if let Some(lifetime) = kind.get("lifetime") {
                    let outlives: Vec<&str> = list(&lifetime["outlives"])
                        .iter()
                        .filter_map(|l| l.as_str())
                        .collect();
                    return Some(if outlives.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{name}: {}", outlives.join(" + "))
                    });
                }
                if let Some(ty) = kind.get("type") {
                    if ty["is_synthetic"] == true {
                        return None;
                    }
                    let mut text = name.to_owned();
                    if !list(&ty["bounds"]).is_empty() {
                        text = format!("{text}: {}", self.bounds(&ty["bounds"]));
                    }
                    if !ty["default"].is_null() {
                        text = format!("{text} = {}", self.ty(&ty["default"]));
                    }
                    return Some(text);
                }
                if let Some(constant) = kind.get("const") {
                    return Some(format!("const {name}: {}", self.ty(&constant["type"])));
                }
                Some(name.to_owned())
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("<{}>", parts.join(", "))
        }
    }

    /// ` where A: B, ...`, or nothing.
    pub fn where_clause(&self, generics: &Value) -> String {
        let predicates: Vec<String> = list(&generics["where_predicates"])
            .iter()
            .filter_map(|p| {
                if let Some(b) = p.get("bound_predicate") {
                    return Some(format!(
                        "{}{}: {}",
                        self.higher_ranked(&b["generic_params"]),
                        self.ty(&b["type"]),
                        self.bounds(&b["bounds"])
                    ));
                }
                if let Some(l) = p.get("lifetime_predicate") {
                    let outlives: Vec<&str> = list(&l["outlives"])
                        .iter()
                        .filter_map(|o| o.as_str())
                        .collect();
                    return Some(format!(
                        "{}: {}",
                        l["lifetime"].as_str().unwrap_or("_"),
                        outlives.join(" + ")
                    ));
                }
                if let Some(e) = p.get("eq_predicate") {
                    let rhs = match e["rhs"].get("type") {
                        Some(ty) => self.ty(ty),
                        None => e["rhs"]["constant"]["expr"]
                            .as_str()
                            .unwrap_or("_")
                            .to_owned(),
                    };
                    return Some(format!("{} = {rhs}", self.ty(&e["lhs"])));
                }
                None
            })
            .collect();
        if predicates.is_empty() {
            String::new()
        } else {
            format!(" where {}", predicates.join(", "))
        }
    }

    /// A function's signature after its name: generics, parameters, output
    /// and where clause (`<T>(&self, input: impl Into<T>) -> Self`).
    pub fn signature(&self, function: &Value) -> String {
        let inputs: Vec<String> = list(&function["sig"]["inputs"])
            .iter()
            .map(|pair| {
                let name = pair[0].as_str().unwrap_or("_");
                let ty = &pair[1];
                if name == "self" {
                    return self.receiver(ty);
                }
                format!("{name}: {}", self.ty(ty))
            })
            .collect();
        format!(
            "{}({}){}{}",
            self.params(&function["generics"]["params"]),
            inputs.join(", "),
            self.output(&function["sig"]["output"]),
            self.where_clause(&function["generics"])
        )
    }

    /// `self`, `&self`, `&mut self` or `self: T`.
    fn receiver(&self, ty: &Value) -> String {
        if ty.get("generic").and_then(Value::as_str) == Some("Self") {
            return "self".to_owned();
        }
        if let Some(r) = ty.get("borrowed_ref") {
            if r["type"].get("generic").and_then(Value::as_str) == Some("Self") {
                let lifetime = r["lifetime"]
                    .as_str()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutability = if r["is_mutable"] == true { "mut " } else { "" };
                return format!("&{lifetime}{mutability}self");
            }
        }
        format!("self: {}", self.ty(ty))
    }

    /// `const `, `async `, `unsafe ` as the function's header says.
    pub fn qualifiers(&self, function: &Value) -> String {
        let header = &function["header"];
        let mut text = String::new();
        for (key, word) in [
            ("is_const", "const "),
            ("is_async", "async "),
            ("is_unsafe", "unsafe "),
        ] {
            if header[key] == true {
                text.push_str(word);
            }
        }
        text
    }
}

/// A JSON array's items (none for anything else).
pub fn list(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}
