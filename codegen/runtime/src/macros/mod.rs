//! Macros that declare the small per-member methods of generated shapes and
//! builders.
//!
//! Every member of every generated structure has a getter, three builder
//! methods and, on operation inputs, three fluent-builder methods. Spelled out
//! they were most of a generated crate's lines; generated crates now write one
//! invocation per member instead, and the methods (their names, signatures and
//! documentation) are exactly those the invocation describes.
//!
//! Each macro takes a *kind* first, saying how the member is stored:
//!
//! | kind    | builder field                | `name(..)` does          |
//! | ------- | ---------------------------- | ------------------------ |
//! | `value` | `Option<T>`                  | sets the value           |
//! | `boxed` | `Option<Box<T>>`             | sets the value, boxed    |
//! | `list`  | `Option<Vec<T>>`             | appends one item `T`     |
//! | `map`   | `Option<HashMap<K, V>>`      | inserts one entry `K => V` |
//!
//! `api` holds the macros that declare what users call, `json` those that
//! read structures from JSON (the data format of both awsJson protocols and
//! restJson1).

mod api;
mod json;

#[cfg(test)]
mod tests;
