; Module-level dependencies. Captures name whole statements or calls; src/facts reads their fields.

; import … from 'x', import 'x', TypeScript's import x = require('x')
(import_statement) @import

; export … from 'x', and local exports (export function f, export { a }, export default …)
(export_statement) @export

; require('x'), require(`x`), require(expr)
(call_expression
  function: (identifier) @_callee
  (#eq? @_callee "require")) @require

; import('x'), import(expr)
(call_expression
  function: (import)) @dynamic_import

; module.exports = …, module.exports.x = …, exports.x = …
(assignment_expression
  left: (member_expression) @_left
  (#match? @_left "^(module\\.exports|exports)(\\.[A-Za-z_$][A-Za-z0-9_$]*)?$")) @cjs_export
