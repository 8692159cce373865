; Class fields (`table = 'orders'`, `static TABLE = ORDERS`): TypeScript grammar node.
(public_field_definition name: (_) value: (_)) @field
