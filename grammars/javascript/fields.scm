; Class fields (`table = 'orders'`, `static TABLE = ORDERS`): JavaScript grammar node.
(field_definition property: (_) value: (_)) @field
