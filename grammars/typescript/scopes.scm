; TypeScript-only scopes: abstract classes.

(abstract_class_declaration) @scope.class
