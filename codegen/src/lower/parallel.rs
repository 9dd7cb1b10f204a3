//! Lowering a service's operations on several threads, each operation with a
//! lowerer of its own.

use crate::ir::OperationIr;
use crate::model::ShapeId;

use super::{LowerError, Lowerer};

/// Below this many operations for each thread, [`Lowerer::operations`]
/// lowers on the calling thread alone.
const MIN_OPERATIONS_PER_THREAD: usize = 8;

impl<'m> Lowerer<'m> {
    /// Lowers the operations `ids`, in order. Each operation lowers on its
    /// own (the named types it needs are only requested, and lowered
    /// afterwards), so a service's operations are shared out between
    /// threads, each lowering with a lowerer of its own whose requests are
    /// then merged into this lowerer's. When operations fail, the error is
    /// that of the first of them in `ids`, as when lowering them in turn.
    pub(super) fn operations(&mut self, ids: &[ShapeId]) -> Result<Vec<OperationIr>, LowerError> {
        let threads = crate::threads();
        self.operations_on(ids, threads)
    }

    /// [`Self::operations`] on up to `threads` threads.
    fn operations_on(
        &mut self,
        ids: &[ShapeId],
        threads: usize,
    ) -> Result<Vec<OperationIr>, LowerError> {
        let threads = threads.min(ids.len() / MIN_OPERATIONS_PER_THREAD).max(1);
        if threads < 2 {
            return ids.iter().map(|id| self.operation(id)).collect();
        }
        // What a worker shares with this lowerer, which is not `Sync` itself.
        let (model, service) = (self.model, self.service);
        let (names, components) = (&self.names, &self.components);
        let shares = crate::in_shares(threads, |n| {
            let mut worker = Lowerer::sharing(
                model,
                service,
                self.protocol,
                names.clone(),
                components.clone(),
            );
            let mut done = Vec::new();
            let mut failure = None;
            for (i, id) in ids.iter().enumerate().skip(n).step_by(threads) {
                match worker.operation(id) {
                    Ok(op) => done.push((i, op)),
                    Err(e) => {
                        failure = Some((i, e));
                        break;
                    }
                }
            }
            (done, failure, worker.codecs, worker.doc_lines.into_inner())
        });
        let mut lowered = Vec::with_capacity(ids.len());
        let mut failure: Option<(usize, LowerError)> = None;
        for (done, failed, codecs, doc_lines) in shares {
            lowered.extend(done);
            if let Some((i, e)) = failed {
                if failure.as_ref().is_none_or(|(first, _)| i < *first) {
                    failure = Some((i, e));
                }
            }
            for (id, codecs) in codecs {
                self.request(&id, codecs);
            }
            self.doc_lines.get_mut().extend(doc_lines);
        }
        if let Some((_, e)) = failure {
            return Err(e);
        }
        lowered.sort_by_key(|(i, _)| *i);
        Ok(lowered.into_iter().map(|(_, op)| op).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::pick_service;
    use crate::model::Model;

    /// A model of 40 operations; those in `broken` have a host prefix that
    /// is not a string, which lowering rejects.
    fn many_operations(broken: &[usize]) -> Model {
        let mut shapes = serde_json::Map::new();
        let mut ops = Vec::new();
        for n in 0..40 {
            ops.push(serde_json::json!({"target": format!("ex#Op{n}")}));
            let mut op = serde_json::json!({"type": "operation",
                "input": {"target": format!("ex#In{n}")}, "errors": [{"target": "ex#Oops"}]});
            if broken.contains(&n) {
                op["traits"] = serde_json::json!({"smithy.api#endpoint": {"hostPrefix": 5}});
            }
            shapes.insert(format!("ex#Op{n}"), op);
            shapes.insert(
                format!("ex#In{n}"),
                serde_json::json!({"type": "structure", "members": {
                    "Shared": {"target": "ex#Shared"},
                    "Own": {"target": format!("ex#Own{n}")}}}),
            );
            shapes.insert(
                format!("ex#Own{n}"),
                serde_json::json!({"type": "structure",
                    "traits": {"smithy.api#documentation": format!("<p>Own <b>{n}</b>.</p>")}}),
            );
        }
        shapes.insert(
            "ex#Svc".into(),
            serde_json::json!({"type": "service", "operations": ops,
                "traits": {"aws.protocols#awsJson1_1": {}}}),
        );
        shapes.insert("ex#Shared".into(), serde_json::json!({"type": "structure"}));
        shapes.insert(
            "ex#Oops".into(),
            serde_json::json!({"type": "structure",
                "traits": {"smithy.api#error": "client", "smithy.api#documentation": "Oops."}}),
        );
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        Model::load(&[("test.json", &text)]).expect("valid model")
    }

    #[test]
    fn operations_lower_alike_on_any_number_of_threads() {
        let model = many_operations(&[]);
        let service = pick_service(&model, None).expect("one service");
        let ids = model.service_operations(&service.id);
        let lowered = |threads: usize| {
            let mut lowerer = Lowerer::new(&model, service, crate::ir::Protocol::AwsJson1_1);
            let ops = lowerer.operations_on(&ids, threads).expect("lowers");
            (ops, lowerer.codecs, lowerer.dirty)
        };
        let alone = lowered(1);
        assert_eq!(alone.0.len(), 40);
        // Each input's two members and the error are requested.
        assert_eq!(alone.1.len(), 42);
        for threads in [2, 3, 5] {
            assert!(lowered(threads) == alone, "{threads} threads");
        }
    }

    #[test]
    fn the_first_operation_in_order_that_fails_is_the_error_on_any_number_of_threads() {
        let model = many_operations(&[31, 13]);
        let service = pick_service(&model, None).expect("one service");
        let ids = model.service_operations(&service.id);
        for threads in [1, 2, 3] {
            let e = Lowerer::new(&model, service, crate::ir::Protocol::AwsJson1_1)
                .operations_on(&ids, threads)
                .unwrap_err();
            assert_eq!(
                e.shape.as_deref(),
                Some("ex#Op13"),
                "{threads} threads: {e}"
            );
        }
    }
}
