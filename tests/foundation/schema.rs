//! Both migration trees match each other and `schema.rs`.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};
use kakehashi::db::{Backend, DbConnection, migration_names};

use crate::support::TestApp;

/// Tables and columns (`name`, `nullable`) as `schema.rs` declares them.
fn declared_schema() -> Vec<(String, Vec<(String, bool)>)> {
    let source = include_str!("../../src/db/schema.rs");
    let mut tables = Vec::new();
    let mut lines = source.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line != "diesel::table! {" {
            continue;
        }
        let header = lines.next().expect("table header");
        let name = header
            .split([' ', '('])
            .next()
            .expect("table name")
            .to_owned();
        let mut columns = Vec::new();
        for line in lines.by_ref() {
            if line == "}" {
                break;
            }
            if let Some((column, ty)) = line.split_once("->") {
                let column = column.trim().trim_start_matches("r#").to_owned();
                columns.push((column, ty.trim().starts_with("Nullable<")));
            }
        }
        tables.push((name, columns));
    }
    assert!(tables.len() >= 2, "schema.rs parsed: {tables:?}");
    tables
}

#[derive(QueryableByName, Debug)]
struct ColumnInfo {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
}

fn actual_columns(conn: &mut DbConnection, table: &str) -> Vec<ColumnInfo> {
    let query = match conn.backend() {
        Backend::Sqlite => {
            format!("SELECT name, \"notnull\" AS not_null FROM pragma_table_info('{table}')")
        }
        Backend::Postgres => format!(
            "SELECT column_name::text AS name, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS not_null \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'"
        ),
    };
    diesel::sql_query(query).load(conn).expect("introspect")
}

#[test]
fn both_migration_trees_have_the_same_names() {
    let sqlite = migration_names(Backend::Sqlite);
    let postgres = migration_names(Backend::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres differ"
    );

    let on_disk = |tree: &str| {
        let mut names: Vec<String> = std::fs::read_dir(format!("migrations/{tree}"))
            .expect("migration tree")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(on_disk("sqlite"), on_disk("postgres"));
    for name in on_disk("sqlite") {
        for tree in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = format!("migrations/{tree}/{name}/{file}");
                assert!(std::path::Path::new(&path).is_file(), "{path} is missing");
            }
        }
    }
}

#[tokio::test]
async fn the_backend_has_every_table_and_column_of_schema_rs() {
    let app = TestApp::new().await;
    let declared = declared_schema();
    let problems = app
        .state
        .db
        .run(move |conn| {
            let mut problems = Vec::new();
            for (table, columns) in &declared {
                let actual = actual_columns(conn, table);
                if actual.is_empty() {
                    problems.push(format!("table {table} is missing"));
                    continue;
                }
                for (column, nullable) in columns {
                    match actual.iter().find(|c| &c.name == column) {
                        None => problems.push(format!("{table}.{column} is missing")),
                        // SQLite reports INTEGER PRIMARY KEY columns as nullable; skip keys there.
                        Some(c) if (c.not_null == 0) != *nullable && !(conn.backend() == Backend::Sqlite && column == "id") => {
                            problems.push(format!(
                                "{table}.{column}: schema.rs says nullable={nullable}, the database says nullable={}",
                                c.not_null == 0
                            ));
                        }
                        Some(_) => {}
                    }
                }
                for c in &actual {
                    if !columns.iter().any(|(name, _)| name == &c.name) {
                        problems.push(format!("{table}.{} is in the database but not in schema.rs", c.name));
                    }
                }
            }
            Ok(problems)
        })
        .await
        .expect("introspection");
    assert!(
        problems.is_empty(),
        "{:?} schema differs:\n{}",
        app.db.backend,
        problems.join("\n")
    );
}
