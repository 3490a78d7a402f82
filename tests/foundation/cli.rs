//! The command line as an operator uses it: clear one-sentence errors, non-zero exits, no panics.

use std::process::Output;

use crate::support::TestDatabase;
use crate::support::app::PASSWORD;
use crate::support::process::run;

struct Cli {
    db: TestDatabase,
}

impl Cli {
    /// The CLI on a database without tables: every command migrates it first, as on a new
    /// machine.
    fn new() -> Cli {
        Cli {
            db: TestDatabase::create_empty(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[], None)
    }

    fn run_with(&self, args: &[&str], extra_env: &[(&str, &str)], stdin: Option<&str>) -> Output {
        let mut env = vec![("KAKEHASHI_DATABASE__URL", self.db.url.as_str())];
        env.extend_from_slice(extra_env);
        run(self.db.dir.path(), &env, args, stdin)
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A failure the way an operator should see it: non-zero, one line on stderr, no Rust internals.
#[track_caller]
fn assert_clear_failure(output: &Output, expected: &str) {
    let err = stderr(output);
    assert!(!output.status.success(), "should fail: {err}");
    assert!(err.contains(expected), "expected \"{expected}\" in: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    for internal in ["panicked", "backtrace", "RUST_BACKTRACE", "Error {", "src/"] {
        assert!(
            !err.contains(internal),
            "internal detail \"{internal}\" shown: {err}"
        );
    }
}

#[test]
fn create_list_promote_and_change_password() {
    let cli = Cli::new();
    let created = cli.run(&[
        "admin",
        "create-user",
        "hanako",
        "hanako@city.example",
        "--password",
        PASSWORD,
        "--admin",
        "--display-name",
        "山田 花子",
    ]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("Created hanako (hanako@city.example) as admin"));

    // The password may come on standard input, as scripts pass it.
    let piped = cli.run_with(
        &["admin", "create-user", "taro", "taro@city.example"],
        &[],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(piped.status.success(), "{}", stderr(&piped));

    let listed = cli.run(&["admin", "list-users"]);
    let text = stdout(&listed);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(text.contains("hanako") && text.contains("admin"), "{text}");
    assert!(text.contains("taro") && text.contains("user"), "{text}");
    assert!(text.contains("2 account(s)"));

    let role = cli.run(&["admin", "set-role", "taro", "moderator"]);
    assert!(role.status.success(), "{}", stderr(&role));
    assert!(stdout(&role).contains("taro is now moderator"));

    let password = cli.run(&[
        "admin",
        "set-password",
        "taro",
        "--password",
        "another-long-passphrase-3",
    ]);
    assert!(password.status.success(), "{}", stderr(&password));
}

#[test]
fn mistakes_give_one_plain_sentence_and_a_non_zero_exit() {
    let cli = Cli::new();
    assert!(
        cli.run(&[
            "admin",
            "create-user",
            "hanako",
            "hanako@city.example",
            "--password",
            PASSWORD
        ])
        .status
        .success()
    );

    assert_clear_failure(
        &cli.run(&[
            "admin",
            "create-user",
            "HANAKO",
            "other@city.example",
            "--password",
            PASSWORD,
        ]),
        "The user name \"HANAKO\" is already taken.",
    );
    assert_clear_failure(
        &cli.run(&[
            "admin",
            "create-user",
            "taro",
            "taro-at-city",
            "--password",
            PASSWORD,
        ]),
        "\"taro-at-city\" is not a valid e-mail address.",
    );
    assert_clear_failure(
        &cli.run(&[
            "admin",
            "create-user",
            "taro",
            "taro@city.example",
            "--password",
            "12345678",
        ]),
        "The password is too weak",
    );
    assert_clear_failure(
        &cli.run(&["admin", "set-role", "hanako", "overlord"]),
        "\"overlord\" is not a role",
    );
    assert_clear_failure(
        &cli.run(&["admin", "set-password", "nobody", "--password", PASSWORD]),
        "There is no local user named \"nobody\".",
    );
    let listed = stdout(&cli.run(&["admin", "list-users"]));
    assert!(
        listed.contains("1 account(s)"),
        "nothing else stored: {listed}"
    );
}

#[test]
fn an_unreachable_database_is_one_sentence() {
    let cli = Cli::new();
    let output = cli.run_with(
        &["admin", "list-users"],
        &[(
            "KAKEHASHI_DATABASE__URL",
            "postgres://kakehashi:secret@127.0.0.1:1/nothing",
        )],
        None,
    );
    assert_clear_failure(
        &output,
        "cannot connect to the database at postgres://kakehashi:***@127.0.0.1:1/nothing",
    );
    assert!(
        !stderr(&output).contains("secret"),
        "the password is hidden"
    );
}

#[test]
fn configuration_layers_and_errors() {
    let cli = Cli::new();
    let dir = cli.db.dir.path();
    std::fs::write(
        dir.join("kakehashi.toml"),
        "[instance]\ndomain = \"from-file.example\"\nscheme = \"https\"\n[server]\nlisten = \"127.0.0.1:9999\"\n",
    )
    .expect("write config");
    // The file in the working directory is read; the environment wins over it.
    let output = cli.run_with(
        &["check-config"],
        &[("KAKEHASHI_SERVER__LISTEN", "127.0.0.1:7777")],
        None,
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(text.contains("https://from-file.example/"), "{text}");
    assert!(text.contains("127.0.0.1:7777"), "{text}");

    // An unknown setting is an error, not silently ignored.
    std::fs::write(
        dir.join("typo.toml"),
        "[instance]\ndomian = \"oops.example\"\n",
    )
    .expect("write");
    let typo = cli.run(&["--config", "typo.toml", "check-config"]);
    assert_clear_failure(&typo, "unknown field");
    assert!(stderr(&typo).contains("domian"));

    // Values are checked, including the local-government code's check digit.
    let bad_code = cli.run_with(
        &["check-config"],
        &[("KAKEHASHI_ORGANISATION__LOCAL_GOVERNMENT_CODE", "131017")],
        None,
    );
    assert_clear_failure(&bad_code, "wrong check digit");

    // Codes given as numbers in the environment keep their leading zero.
    let sapporo = cli.run_with(
        &["check-config"],
        &[
            ("KAKEHASHI_ORGANISATION__LOCAL_GOVERNMENT_CODE", "011002"),
            ("KAKEHASHI_ORGANISATION__PREFECTURE", "1"),
        ],
        None,
    );
    assert!(sapporo.status.success(), "{}", stderr(&sapporo));

    let missing = cli.run(&["--config", "nope.toml", "check-config"]);
    assert_clear_failure(&missing, "does not exist");
}

#[test]
fn migrate_is_idempotent() {
    let cli = Cli::new();
    let first = cli.run(&["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("applied"));
    let second = cli.run(&["migrate"]);
    assert!(
        stdout(&second).contains("up to date"),
        "{}",
        stdout(&second)
    );
}
