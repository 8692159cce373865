; Data access: every call (query builders, ORMs, SQL calls, transactions, the call graph),
; string-valued declarations, and strings that may hold SQL.

(call_expression) @call
(variable_declarator name: (identifier) value: (_)) @declarator
(string) @string
(template_string) @string

; `this.planner = new ShipmentPlanner()`: the class of an instance field, for `this.planner.plan()` calls.
(assignment_expression
  left: (member_expression object: (this))
  right: (new_expression)) @this_assign
