//! The AWS partition table that `aws.partition` answers from.
//!
//! The facts live in `data/partitions.json` inside this crate, the public
//! table of AWS partitions exactly as AWS SDKs ship it, and are compiled into
//! the binary. `data/README.md` says how to refresh it. A program that needs
//! other facts loads its own table ([`PartitionTable::from_json`]) and hands
//! it to a rule set ([`crate::RuleSet::with_partitions`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::regex::Regex;
use crate::value::Value;

const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

/// What `aws.partition` returns for a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id, e.g. `aws-cn`.
    pub id: String,
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}

/// A loaded partition table.
#[derive(Debug, Default)]
pub struct PartitionTable {
    partitions: Vec<Entry>,
    /// Region name → (partition index, outputs with the region's overrides).
    regions: HashMap<String, (usize, Value)>,
    default_index: Option<usize>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    regex: Option<Regex>,
    outputs: Value,
}

fn outputs_value(outputs: &serde_json::Map<String, Json>) -> Value {
    let map: BTreeMap<String, Value> = outputs
        .iter()
        .filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v)))
        .collect();
    Value::object(map)
}

impl PartitionTable {
    /// Parses a table in the format of the public AWS partitions file.
    pub fn from_json(doc: &Json) -> Result<PartitionTable, String> {
        let list = doc
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or("the partition table has no `partitions` array")?;
        let mut table = PartitionTable::default();
        for (i, p) in list.iter().enumerate() {
            let id = p
                .get("id")
                .and_then(Json::as_str)
                .ok_or_else(|| format!("partitions[{i}] has no `id`"))?;
            let outputs = p
                .get("outputs")
                .and_then(Json::as_object)
                .ok_or_else(|| format!("partition `{id}` has no `outputs` object"))?;
            let regex = match p.get("regionRegex").and_then(Json::as_str) {
                Some(r) => Some(
                    Regex::new(r)
                        .map_err(|e| format!("partition `{id}`: bad regionRegex `{r}`: {e}"))?,
                ),
                None => None,
            };
            if let Some(regions) = p.get("regions").and_then(Json::as_object) {
                for (region, overrides) in regions {
                    let mut merged = outputs.clone();
                    if let Some(o) = overrides.as_object() {
                        for (k, v) in o {
                            if k != "description" {
                                merged.insert(k.clone(), v.clone());
                            }
                        }
                    }
                    table
                        .regions
                        .entry(region.clone())
                        .or_insert((i, outputs_value(&merged)));
                }
            }
            if id == "aws" {
                table.default_index = Some(i);
            }
            table.partitions.push(Entry {
                id: id.to_string(),
                regex,
                outputs: outputs_value(outputs),
            });
        }
        if table.default_index.is_none() && !table.partitions.is_empty() {
            table.default_index = Some(0);
        }
        Ok(table)
    }

    /// The table compiled into this crate.
    pub fn builtin() -> &'static PartitionTable {
        static TABLE: OnceLock<PartitionTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            serde_json::from_str::<Json>(PARTITIONS_JSON)
                .map_err(|e| e.to_string())
                .and_then(|doc| PartitionTable::from_json(&doc))
                .unwrap_or_default()
        })
    }

    /// Finds the partition of `region`: the partition that lists it, else
    /// the first whose region pattern matches it, else the `aws` partition.
    pub(crate) fn lookup_value(&self, region: &str) -> Option<(usize, &Value)> {
        if let Some((i, v)) = self.regions.get(region) {
            return Some((*i, v));
        }
        if let Some(i) = self
            .partitions
            .iter()
            .position(|p| p.regex.as_ref().is_some_and(|r| r.is_match(region)))
        {
            return Some((i, &self.partitions[i].outputs));
        }
        let i = self.default_index?;
        Some((i, &self.partitions.get(i)?.outputs))
    }

    /// The partition facts for `region`: the partition that lists it, else
    /// the first whose region pattern matches it, else the `aws` partition.
    pub fn partition(&self, region: &str) -> Option<Partition> {
        let (i, value) = self.lookup_value(region)?;
        let Value::Object(fields) = value else {
            return None;
        };
        let text = |k: &str| match fields.get(k) {
            Some(Value::Str(s)) => s.clone(),
            _ => String::new(),
        };
        let flag = |k: &str| matches!(fields.get(k), Some(Value::Bool(true)));
        Some(Partition {
            id: self.partitions.get(i)?.id.clone(),
            name: text("name"),
            dns_suffix: text("dnsSuffix"),
            dual_stack_dns_suffix: text("dualStackDnsSuffix"),
            supports_fips: flag("supportsFIPS"),
            supports_dual_stack: flag("supportsDualStack"),
            implicit_global_region: text("implicitGlobalRegion"),
        })
    }

    /// Ids of the partitions in table order.
    pub fn partition_ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }

    /// Every region the table lists by name.
    pub fn known_regions(&self) -> impl Iterator<Item = &str> {
        self.regions.keys().map(String::as_str)
    }
}

/// `aws.partition(region)` against the built-in table.
pub fn partition(region: &str) -> Option<Partition> {
    PartitionTable::builtin().partition(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_loads_every_partition() {
        let doc: Json = serde_json::from_str(PARTITIONS_JSON).expect("embedded table is JSON");
        let table = PartitionTable::from_json(&doc).expect("embedded table loads");
        let ids: Vec<&str> = table.partition_ids().collect();
        assert_eq!(
            ids,
            [
                "aws",
                "aws-cn",
                "aws-eusc",
                "aws-iso",
                "aws-iso-b",
                "aws-iso-e",
                "aws-iso-f",
                "aws-us-gov"
            ]
        );
        assert_eq!(PartitionTable::builtin().partition_ids().count(), 8);
    }

    #[test]
    fn known_region() {
        let p = partition("us-west-2").expect("known region");
        assert_eq!(p.id, "aws");
        assert_eq!(p.name, "aws");
        assert_eq!(p.dns_suffix, "amazonaws.com");
        assert_eq!(p.dual_stack_dns_suffix, "api.aws");
        assert!(p.supports_fips && p.supports_dual_stack);
        assert_eq!(p.implicit_global_region, "us-east-1");

        let cn = partition("cn-north-1").expect("known region");
        assert_eq!(cn.name, "aws-cn");
        assert_eq!(cn.dns_suffix, "amazonaws.com.cn");
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");

        let gov = partition("us-gov-west-1").expect("known region");
        assert_eq!(gov.name, "aws-us-gov");
        assert_eq!(gov.implicit_global_region, "us-gov-west-1");

        let global = partition("aws-iso-b-global").expect("known region");
        assert_eq!(global.name, "aws-iso-b");
        assert_eq!(global.dns_suffix, "sc2s.sgov.gov");
    }

    #[test]
    fn unknown_region_matched_by_pattern() {
        assert_eq!(
            partition("us-east-9").map(|p| p.name).as_deref(),
            Some("aws")
        );
        assert_eq!(
            partition("cn-south-7").map(|p| p.name).as_deref(),
            Some("aws-cn")
        );
        assert_eq!(
            partition("us-gov-central-3").map(|p| p.name).as_deref(),
            Some("aws-us-gov")
        );
        assert_eq!(
            partition("us-isof-north-2").map(|p| p.name).as_deref(),
            Some("aws-iso-f")
        );
        assert_eq!(
            partition("eu-isoe-north-5").map(|p| p.name).as_deref(),
            Some("aws-iso-e")
        );
        assert_eq!(
            partition("eusc-de-west-2").map(|p| p.name).as_deref(),
            Some("aws-eusc")
        );
    }

    #[test]
    fn unmatched_region_falls_back_to_aws() {
        for region in [
            "local",
            "",
            "mars-east-1",
            "CN-NORTH-1",
            &"x".repeat(10_000),
        ] {
            let p = partition(region).expect("fallback partition");
            assert_eq!(p.name, "aws", "region {region:?}");
        }
    }

    #[test]
    fn region_overrides_apply() {
        let doc = serde_json::json!({
            "partitions": [
                {
                    "id": "p1",
                    "outputs": {
                        "name": "p1", "dnsSuffix": "one.example", "dualStackDnsSuffix": "ds.one.example",
                        "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "r-1"
                    },
                    "regionRegex": "^r\\-\\d+$",
                    "regions": {
                        "r-1": { "description": "first" },
                        "r-2": { "supportsFIPS": false, "dnsSuffix": "two.example" }
                    }
                },
                {
                    "id": "aws",
                    "outputs": {
                        "name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                        "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"
                    },
                    "regions": {}
                }
            ]
        });
        let table = PartitionTable::from_json(&doc).expect("table loads");
        let r2 = table.partition("r-2").expect("listed");
        assert_eq!(r2.name, "p1");
        assert!(!r2.supports_fips);
        assert_eq!(r2.dns_suffix, "two.example");
        let r3 = table.partition("r-3").expect("pattern");
        assert!(r3.supports_fips);
        assert_eq!(r3.dns_suffix, "one.example");
        assert_eq!(table.partition("zzz").expect("fallback").name, "aws");
    }

    /// The embedded table is the current public table, unmodified.
    #[test]
    fn embedded_table_is_the_public_table() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/endpoints/partitions-2026-08.json"
        );
        let public = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("the shared partition table is missing: {path} ({e})"));
        assert!(
            public == PARTITIONS_JSON,
            "data/partitions.json differs from {path}: copy it over unmodified"
        );
    }

    #[test]
    fn bad_tables_are_rejected() {
        for doc in [
            serde_json::json!({}),
            serde_json::json!({"partitions": [{"outputs": {}}]}),
            serde_json::json!({"partitions": [{"id": "x"}]}),
            serde_json::json!({"partitions": [{"id": "x", "outputs": {}, "regionRegex": "(("}]}),
        ] {
            assert!(PartitionTable::from_json(&doc).is_err(), "{doc}");
        }
    }
}
