; Class fields (`table = 'orders'`, `static TABLE = ORDERS`): TypeScript grammar node.
(public_field_definition name: (_) value: (_)) @field

; `constructor(private readonly orders: OrdersService)`: a parameter property, the usual dependency injection.
(required_parameter (accessibility_modifier) pattern: (identifier) type: (type_annotation)) @param_property
