//! The subset of JMESPath that `smithy.rules#operationContextParams` paths
//! use: field access (`A.B`, `"quoted"`), indexes (`[0]`, `[-1]`), list and
//! object wildcard projections (`[*]`, `.*`), flattening (`[]`), the current
//! node `@`, pipes (`|`), and the functions `keys`, `values` and `length`.

use serde_json::Value as Json;

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    Current,
    ListProject,
    ValuesProject,
    Flatten,
    Func(String, Vec<Expr>),
}

/// A parsed path: pipe-separated chains of steps.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    chains: Vec<Vec<Step>>,
}

const MAX_DEPTH: usize = 32;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nested too deeply".to_string());
        }
        let mut chains = vec![self.chain()?];
        while self.peek() == Some(b'|') && self.s.get(self.pos + 1) != Some(&b'|') {
            self.pos += 1;
            chains.push(self.chain()?);
        }
        self.depth -= 1;
        Ok(Expr { chains })
    }

    fn identifier(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.pos += 1;
        }
        if start == self.pos || self.s[start].is_ascii_digit() {
            self.pos = start;
            return None;
        }
        std::str::from_utf8(&self.s[start..self.pos])
            .ok()
            .map(str::to_string)
    }

    fn quoted(&mut self) -> Result<String, String> {
        // Opening quote already consumed.
        let start = self.pos;
        let mut escaped = false;
        while let Some(&b) = self.s.get(self.pos) {
            self.pos += 1;
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                let raw = &self.s[start - 1..self.pos];
                let text = std::str::from_utf8(raw).map_err(|e| e.to_string())?;
                return serde_json::from_str::<String>(text).map_err(|e| e.to_string());
            }
        }
        Err("unclosed quoted identifier".to_string())
    }

    /// A field name or a function call.
    fn named(&mut self, chain: &mut Vec<Step>) -> Result<bool, String> {
        if self.eat(b'"') {
            chain.push(Step::Field(self.quoted()?));
            return Ok(true);
        }
        let Some(name) = self.identifier() else {
            return Ok(false);
        };
        if self.eat(b'(') {
            let mut args = Vec::new();
            if !self.eat(b')') {
                loop {
                    args.push(self.expr()?);
                    if self.eat(b')') {
                        break;
                    }
                    if !self.eat(b',') {
                        return Err(format!("expected `,` or `)` in call of `{name}`"));
                    }
                }
            }
            chain.push(Step::Func(name, args));
        } else {
            chain.push(Step::Field(name));
        }
        Ok(true)
    }

    fn bracket(&mut self, chain: &mut Vec<Step>) -> Result<(), String> {
        // `[` already consumed.
        if self.eat(b'*') {
            if !self.eat(b']') {
                return Err("expected `]` after `[*`".to_string());
            }
            chain.push(Step::ListProject);
            return Ok(());
        }
        if self.eat(b']') {
            chain.push(Step::Flatten);
            return Ok(());
        }
        self.skip_ws();
        let start = self.pos;
        if self.s.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).map_err(|e| e.to_string())?;
        let index = text
            .parse::<i64>()
            .map_err(|_| format!("unsupported bracket expression at byte {start}"))?;
        if !self.eat(b']') {
            return Err("expected `]` after index".to_string());
        }
        chain.push(Step::Index(index));
        Ok(())
    }

    fn chain(&mut self) -> Result<Vec<Step>, String> {
        let mut chain = Vec::new();
        match self.peek() {
            Some(b'@') => {
                self.pos += 1;
                chain.push(Step::Current);
            }
            Some(b'[') => {
                self.pos += 1;
                self.bracket(&mut chain)?;
            }
            Some(b'*') => {
                self.pos += 1;
                chain.push(Step::ValuesProject);
            }
            _ => {
                if !self.named(&mut chain)? {
                    return Err(format!("expected an expression at byte {}", self.pos));
                }
            }
        }
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    if self.eat(b'*') {
                        chain.push(Step::ValuesProject);
                    } else if !self.named(&mut chain)? {
                        return Err(format!("expected a name after `.` at byte {}", self.pos));
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.bracket(&mut chain)?;
                }
                _ => return Ok(chain),
            }
        }
    }
}

impl Expr {
    pub(crate) fn parse(text: &str) -> Result<Expr, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let e = p.expr()?;
        if p.peek().is_some() {
            return Err(format!("unexpected text at byte {} of `{text}`", p.pos));
        }
        Ok(e)
    }

    /// Evaluates the path against `input`; `Null` when nothing is found.
    pub(crate) fn eval(&self, input: &Json) -> Json {
        let mut cur = input.clone();
        for chain in &self.chains {
            cur = eval_steps(chain, &cur);
        }
        cur
    }
}

fn project<'a>(items: impl Iterator<Item = &'a Json>, rest: &[Step]) -> Json {
    Json::Array(
        items
            .map(|item| eval_steps(rest, item))
            .filter(|v| !v.is_null())
            .collect(),
    )
}

fn eval_steps(steps: &[Step], input: &Json) -> Json {
    let mut cur = input.clone();
    for (i, step) in steps.iter().enumerate() {
        let rest = &steps[i + 1..];
        cur = match step {
            Step::Current => cur,
            Step::Field(name) => match &cur {
                Json::Object(m) => m.get(name).cloned().unwrap_or(Json::Null),
                _ => Json::Null,
            },
            Step::Index(n) => match &cur {
                Json::Array(items) => {
                    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    let idx = if *n < 0 { len + n } else { *n };
                    usize::try_from(idx)
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .unwrap_or(Json::Null)
                }
                _ => Json::Null,
            },
            Step::ListProject => {
                return match &cur {
                    Json::Array(items) => project(items.iter(), rest),
                    _ => Json::Null,
                }
            }
            Step::ValuesProject => {
                return match &cur {
                    Json::Object(m) => project(m.values(), rest),
                    _ => Json::Null,
                }
            }
            Step::Flatten => {
                return match &cur {
                    Json::Array(items) => {
                        let mut flat = Vec::new();
                        for item in items {
                            match item {
                                Json::Array(inner) => flat.extend(inner.iter().cloned()),
                                other => flat.push(other.clone()),
                            }
                        }
                        project(flat.iter(), rest)
                    }
                    _ => Json::Null,
                }
            }
            Step::Func(name, args) => {
                let values: Vec<Json> = args.iter().map(|a| a.eval(&cur)).collect();
                call(name, &values)
            }
        };
    }
    cur
}

fn call(name: &str, args: &[Json]) -> Json {
    match (name, args) {
        ("keys", [Json::Object(m)]) => Json::Array(m.keys().cloned().map(Json::String).collect()),
        ("values", [Json::Object(m)]) => Json::Array(m.values().cloned().collect()),
        ("length", [Json::String(s)]) => Json::from(s.chars().count()),
        ("length", [Json::Array(a)]) => Json::from(a.len()),
        ("length", [Json::Object(m)]) => Json::from(m.len()),
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::Expr;
    use serde_json::json;

    fn eval(path: &str, input: serde_json::Value) -> serde_json::Value {
        Expr::parse(path).expect("path parses").eval(&input)
    }

    #[test]
    fn fields_and_indexes() {
        let input = json!({"A": {"B": [10, 20, 30]}, "q x": 1});
        assert_eq!(eval("A.B", input.clone()), json!([10, 20, 30]));
        assert_eq!(eval("A.B[1]", input.clone()), json!(20));
        assert_eq!(eval("A.B[-1]", input.clone()), json!(30));
        assert_eq!(eval("A.B[5]", input.clone()), json!(null));
        assert_eq!(eval("A.C", input.clone()), json!(null));
        assert_eq!(eval("\"q x\"", input.clone()), json!(1));
        assert_eq!(eval("@.A.B[0]", input), json!(10));
    }

    #[test]
    fn projections_and_functions() {
        let input = json!({
            "TransactItems": [
                {"Get": {"TableName": "t1"}},
                {"Put": {"TableName": "t2"}},
                {"Get": {"TableName": "t3"}}
            ],
            "RequestItems": {"a": {}, "b": {}},
            "Nested": [[1, 2], [3], 4]
        });
        assert_eq!(
            eval("TransactItems[*].Get.TableName", input.clone()),
            json!(["t1", "t3"])
        );
        assert_eq!(eval("keys(RequestItems)", input.clone()), json!(["a", "b"]));
        assert_eq!(
            eval("RequestItems|keys(@)", input.clone()),
            json!(["a", "b"])
        );
        assert_eq!(eval("Nested[]", input.clone()), json!([1, 2, 3, 4]));
        assert_eq!(eval("length(TransactItems)", input.clone()), json!(3));
        assert_eq!(eval("RequestItems.*", input.clone()), json!([{}, {}]));
        assert_eq!(eval("keys(Missing)", input), json!(null));
    }

    #[test]
    fn malformed_paths_are_rejected() {
        for p in ["", "A.", "A[", "A[x]", "keys(A", "\"open", "A B", "[*"] {
            assert!(Expr::parse(p).is_err(), "{p:?} should not parse");
        }
    }
}
