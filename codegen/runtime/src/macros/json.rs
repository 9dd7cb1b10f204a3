//! The macros that read a generated structure from JSON: its members into
//! its builder, the structure as a member, and building it afterwards.

/// A structure from its builder as read from a response: `built!(build
/// builder)` builds it; `built!(finish builder)` goes through the module's
/// `fn finish(builder, path)`, which fills the required members the response
/// left out.
#[doc(hidden)]
#[macro_export]
macro_rules! built {
    (build $builder:expr) => {
        ::std::result::Result::Ok($builder.build())
    };
    (finish $builder:expr) => {
        finish($builder, "")
    };
}

/// Implements [`ReadMembers`](crate::json::ReadMembers) for a structure's
/// builder, which [`json::de_builder`](crate::json::de_builder) reads a JSON
/// object into: each listed key (or any of its `|` alternatives) into its
/// field, with [`ReadJson`](crate::json::ReadJson) or with the reader given
/// after `with` (a function of the value and its path); other keys are
/// skipped, and `null` gives `None`.
///
/// `de_builder!(Builder { "Key" => field, "a" | "A" => other, "T" => t with reader, .. })`;
/// `de_builder!(Builder [inner] { .. })` for a builder that holds its
/// structure in `inner` (see [`holding_builder!`](crate::holding_builder)).
///
/// It is one `match` on the key, each arm a call that borrows one field;
/// the object's loop is written once, in the runtime. (A table of every
/// field borrowed at once, the form before, cost the compiler time that grew
/// with the square of the member count.)
#[macro_export]
macro_rules! de_builder {
    ($builder:ident $([$via:ident])? {}) => {
        impl $crate::json::ReadMembers for $builder {}
    };
    ($builder:ident $([$via:ident])? { $($($key:literal)|+ => $field:ident $(with $read:expr)?),+ $(,)? }) => {
        impl $crate::json::ReadMembers for $builder {
            #[inline]
            fn read_member(
                &mut self,
                key: &str,
                value: &$crate::serde_json::Value,
            ) -> ::std::result::Result<(), $crate::error::DeserializeError> {
                let members = &mut (*self)$(.$via)?;
                match key {
                    $($($key)|+ => $crate::de_member!(&mut members.$field, value, key $(, $read)?),)+
                    _ => ::std::result::Result::Ok(()),
                }
            }
        }
    };
}

/// Implements [`ReadJson`](crate::json::ReadJson) for a structure read as a
/// member: the module's `de_builder` (see [`de_builder!`](crate::de_builder)) reads the object,
/// then `read_json!(Name, Builder, build)` builds it, or
/// `read_json!(Name, Builder, finish)` hands it to the module's
/// `fn finish(builder, path)`, which fills the required members the object
/// left out.
#[macro_export]
macro_rules! read_json {
    ($name:ident, $builder:ident, build $(,)?) => {
        impl $crate::json::ReadJson for $name {
            #[inline]
            fn read_json(
                value: &$crate::serde_json::Value,
                path: &str,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::error::DeserializeError>
            {
                $crate::json::read_built(value, path, $builder::build)
            }
        }
    };
    ($name:ident, $builder:ident, finish $(,)?) => {
        impl $crate::json::ReadJson for $name {
            #[inline]
            fn read_json(
                value: &$crate::serde_json::Value,
                path: &str,
            ) -> ::std::result::Result<::std::option::Option<Self>, $crate::error::DeserializeError>
            {
                $crate::json::read_finished::<$builder, _>(value, path, finish)
            }
        }
    };
}

/// A member's value as [`de_builder!`] reads it: with `ReadJson`, or with
/// the reader given.
#[doc(hidden)]
#[macro_export]
macro_rules! de_member {
    ($slot:expr, $value:expr, $key:expr) => {
        $crate::json::read_slot($slot, $value, $key)
    };
    ($slot:expr, $value:expr, $key:expr, $read:expr) => {
        $crate::json::read_slot_with($slot, $value, $key, $read)
    };
}
