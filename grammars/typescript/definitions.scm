; TypeScript-only definitions: abstract classes and interfaces (abstractness, later coupling metrics).

(abstract_class_declaration name: (_) @name) @definition.abstract_class
(interface_declaration name: (_) @name) @definition.interface
