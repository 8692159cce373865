use seamline::facts::*;
fn count_args(args: &[Arg], n: &mut [usize; 4]) {
    for a in args {
        n[0] += 1;
        match a {
            Arg::Array { items } => count_args(items, n),
            Arg::Object { entries } => {
                for (k, v) in entries {
                    n[1] += k.len();
                    count_args(std::slice::from_ref(v), n)
                }
            }
            Arg::Call { callee, args } => {
                n[1] += callee.len();
                count_args(args, n)
            }
            Arg::Str { value, .. } => n[2] += value.len(),
            Arg::Ref { path, .. } => n[1] += path.len(),
            Arg::Func { params, .. } => n[3] += params.len(),
            _ => {}
        }
    }
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let found = seamline::discover::discover(&root, &Default::default()).unwrap();
    let parsed = seamline::parse::parse_all(&root, &found.files, &|| {});
    let (mut chains, mut links, mut fnbytes, mut classes, mut roots) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut n = [0usize; 4];
    let (mut imports, mut defs, mut consts, mut sqls, mut fields, mut inst) = (0, 0, 0, 0, 0, 0);
    for m in &parsed.modules {
        let f = &m.facts;
        imports += f.imports.len();
        defs += f.definitions.len();
        consts += f.constants.len();
        sqls += f.sql_texts.len();
        fields += f.fields.len();
        inst += f.instances.len();
        for c in &f.calls {
            chains += 1;
            links += c.links.len();
            fnbytes += c.place.function.len();
            classes += c.place.class.as_ref().map_or(0, |c| c.len());
            roots += c.root.len();
            for l in &c.links {
                if let Some(a) = &l.args {
                    count_args(a, &mut n)
                }
            }
        }
    }
    println!(
        "modules {} chains {chains} links {links} fnbytes {fnbytes} classbytes {classes} rootbytes {roots} args {} argstrbytes {} pieces {} params {}",
        parsed.modules.len(),
        n[0],
        n[1],
        n[2],
        n[3]
    );
    println!("imports {imports} defs {defs} consts {consts} sqls {sqls} fields {fields} instances {inst}");
}
