; Data access: every call (query builders, ORMs, SQL calls, transactions, the call graph),
; string-valued declarations, and strings that may hold SQL.

(call_expression) @call
(variable_declarator name: (identifier) value: (_)) @declarator
(string) @string
(template_string) @string
