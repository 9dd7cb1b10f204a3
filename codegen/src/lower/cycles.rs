//! Cycles of structures and unions, whose members that close them are boxed.

use std::collections::BTreeMap;

use crate::model::{Model, Shape, ShapeId, ShapeType};

use super::{LowerError, Lowerer};

impl<'m> Lowerer<'m> {
    /// Whether a member of `owner` targeting `target` closes a cycle of
    /// structures and unions that does not pass through a list or map (which
    /// already allocate), so the member must be boxed.
    pub(super) fn is_recursive(
        &self,
        owner: &ShapeId,
        target: &ShapeId,
    ) -> Result<bool, LowerError> {
        // The member closes a cycle exactly when its target can reach its
        // owner, that is when both are in one component.
        let components = self
            .components
            .get_or_init(|| recursive_components(self.model));
        Ok(components
            .get(owner)
            .is_some_and(|c| components.get(target) == Some(c)))
    }
}

/// The strongly connected components of the graph whose nodes are the
/// model's structures and unions and whose edges are their members that target
/// another structure or union (lists and maps, which allocate, break cycles):
/// a component number for each shape. Tarjan's algorithm, without recursion,
/// so any depth of nesting is fine.
fn recursive_components(model: &Model) -> BTreeMap<ShapeId, usize> {
    let is_node = |s: &Shape| matches!(s.ty, ShapeType::Structure | ShapeType::Union);
    let nodes: Vec<&Shape> = model.shapes().filter(|s| is_node(s)).collect();
    let number: BTreeMap<&ShapeId, usize> =
        nodes.iter().enumerate().map(|(i, s)| (&s.id, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|s| {
            s.members
                .iter()
                .filter_map(|m| number.get(&m.target).copied())
                .collect()
        })
        .collect();
    const UNSEEN: usize = usize::MAX;
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let mut component = vec![0; n];
    let (mut next_index, mut next_component) = (0, 0);
    let mut stack: Vec<usize> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and how many of its edges were followed.
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, followed)) = frames.last() {
            if let Some(&w) = edges[v].get(followed) {
                if let Some(frame) = frames.last_mut() {
                    frame.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes
        .iter()
        .zip(component)
        .map(|(s, c)| (s.id.clone(), c))
        .collect()
}
