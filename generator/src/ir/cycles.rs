//! Which named types take part in recursion, found once for the whole API.
//!
//! Two graphs over [`TypeDef`]s, each split into strongly connected components by an
//! iterative Tarjan walk (no recursion, so a spec with a chain of 100,000 references
//! cannot overflow the stack, and the cost is linear in types and fields):
//!
//! - **by value**: a struct to the named types of its fields, a union to its variants', an
//!   alias to its target, where the named type is held directly (not inside a `Vec` or a
//!   map, which already live on the heap). A field whose type is in its own type's
//!   component must be boxed, or the type would contain itself.
//! - **aliases**: an alias to the aliases its target names, through containers
//!   (`A = Map<String, B>`, `B = Vec<A>`). An alias on such a cycle needs a nominal type.

use super::{TypeDef, TypeId, TypeKind, TypeRef};

/// The recursion facts the emitter needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recursion {
    /// The by-value component of each type.
    by_value: Vec<usize>,
    /// Whether each type is an alias on a cycle of aliases.
    alias_cycle: Vec<bool>,
}

impl Recursion {
    /// Finds the recursion among `types`.
    pub fn find(types: &[TypeDef]) -> Self {
        let by_value_edges: Vec<Vec<usize>> = types
            .iter()
            .map(|t| {
                let direct = |ty: &TypeRef| match ty {
                    TypeRef::Named(id) => Some(id.0),
                    _ => None,
                };
                match &t.kind {
                    TypeKind::Struct(fields) => {
                        fields.iter().filter_map(|f| direct(&f.ty)).collect()
                    }
                    TypeKind::Union(union) => union
                        .variants
                        .iter()
                        .filter_map(|v| direct(&v.ty))
                        .collect(),
                    TypeKind::Alias(ty) => direct(ty).into_iter().collect(),
                    TypeKind::Enum(_) => Vec::new(),
                }
            })
            .collect();
        let is_alias =
            |id: usize| matches!(types.get(id).map(|t| &t.kind), Some(TypeKind::Alias(_)));
        let alias_edges: Vec<Vec<usize>> = types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(ty) => {
                    let mut named = Vec::new();
                    named_inside(ty, &mut named);
                    named.retain(|id| is_alias(*id));
                    named
                }
                _ => Vec::new(),
            })
            .collect();
        let by_value = components(&by_value_edges);
        let aliases = components(&alias_edges);
        let mut size = vec![0usize; types.len()];
        for component in &aliases {
            size[*component] += 1;
        }
        let alias_cycle = (0..types.len())
            .map(|id| is_alias(id) && (size[aliases[id]] > 1 || alias_edges[id].contains(&id)))
            .collect();
        Self {
            by_value,
            alias_cycle,
        }
    }

    /// Whether a field or variant of type `ty` inside type `owner` must be boxed: `ty` is
    /// held by value and leads back to `owner`.
    pub fn needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => {
                self.by_value.get(id.0).is_some()
                    && self.by_value.get(id.0) == self.by_value.get(owner.0)
            }
            _ => false,
        }
    }

    /// Whether alias `id` lies on a cycle of aliases (so it needs a nominal type).
    pub fn is_alias_cycle(&self, id: TypeId) -> bool {
        self.alias_cycle.get(id.0).copied().unwrap_or(false)
    }
}

/// The named types in `ty`, looking inside arrays, sets and maps (a loop: `TypeRef`
/// nesting follows the spec's, which the parser bounds).
fn named_inside(ty: &TypeRef, out: &mut Vec<usize>) {
    let mut current = ty;
    loop {
        match current {
            TypeRef::Array(inner)
            | TypeRef::Set(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner) => current = inner,
            TypeRef::Named(id) => {
                out.push(id.0);
                return;
            }
            _ => return,
        }
    }
}

/// The strongly connected component of every node (Tarjan's algorithm, with an explicit
/// stack of frames instead of recursion).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let count = edges.len();
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0usize; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    // Frames: (node, position of the next edge to follow).
    let mut frames: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        frames.push((root, 0));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = frames.last_mut() {
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if next >= count {
                    continue;
                }
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_split_cycles_from_chains() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 hangs off it; 4 -> 4 is a self-loop.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = components(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        // 200,000 nodes in one chain closing into a cycle: a recursive walk would need
        // 200,000 frames.
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || components(&edges))
            .map(|handle| handle.join())
            .expect("thread starts")
            .expect("no overflow");
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
