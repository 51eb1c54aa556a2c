//! The `ccm-isu` command line: parse, then call into the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use ccm_isu::{
    auth::tokens,
    domain::users::service as users,
    kernel::{config::Settings, db, telemetry},
    seed,
    startup::{self, Application},
};
use clap::{Parser, Subcommand, ValueEnum};
use entity::enums::{ThematicArea, UserRole};
use migration::{Migrator, MigratorTrait};
use sea_orm::ActiveEnum;

/// mimalloc, not glibc's malloc: glibc kept each login's argon2 buffer (19 MiB) in the
/// arena of the thread that hashed it, so a few logins took the server past 150 MB, and a
/// third of a large query's time went to malloc and free (`bench/README.md`). mimalloc
/// gives freed memory back to the system about a second after it was freed (its purge
/// delay), which `auth::password` counts on.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ccm-isu",
    version,
    about = "Backend of the CCM Implementation Support Unit"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, load first-start data and serve (the default).
    Serve,
    /// Manage the database schema.
    Migrate {
        #[arg(value_enum, default_value = "up")]
        action: MigrateAction,
    },
    /// Print the GraphQL schema (SDL) the server uses.
    ExportSchema,
    /// Work on whole databases.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Manage user accounts.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Import data files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Work on action plans.
    ActionPlan {
        #[command(subcommand)]
        command: ActionPlanCommand,
    },
    /// Deadline reminders (README, "Reminders and notifications").
    Reminders {
        #[command(subcommand)]
        command: RemindersCommand,
    },
    /// Load data: the States registry and/or the demo data set.
    Seed {
        /// Load or update the States registry from the embedded data/states.csv.
        #[arg(long)]
        states: bool,
        /// Read the registry from this CSV file instead (same columns).
        #[arg(long, requires = "states")]
        file: Option<std::path::PathBuf>,
        /// Load the demo data set (accounts under demo.invalid; password from ISU_USER_PASSWORD
        /// or generated and printed).
        #[arg(long)]
        demo: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import a history file (README, "Importing the history"): reports, extensions,
    /// completions and where records begin. All or nothing; importing it again changes
    /// nothing.
    History {
        /// The CSV file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum ActionPlanCommand {
    /// Import a plan's actions and indicators from a CSV file (README, "Action plans:
    /// import") into the plan of this title and these years, created when absent. All or
    /// nothing; importing it again changes nothing.
    Import {
        /// The CSV file.
        file: std::path::PathBuf,
        /// The plan's title, e.g. "Lausanne Action Plan".
        #[arg(long)]
        title: String,
        /// The first year the plan covers.
        #[arg(long)]
        first_year: i32,
        /// The last year the plan covers.
        #[arg(long)]
        last_year: i32,
    },
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// Plan today's reminders once (ISU_TODAY pins the day), as the server's planner does:
    /// write the reminders due to the outbox and cancel those no longer needed.
    Plan {
        /// Print what the planner would write today, one line per reminder, and write
        /// nothing: for checking a policy before turning reminders on.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copy every table into an empty database (SQLite to PostgreSQL, say), then check
    /// row counts and checksums. Stop the servers first: rows written during the copy
    /// would be missed.
    Copy {
        /// The database to read, e.g. sqlite://ccm-isu.db
        #[arg(long)]
        from: String,
        /// The empty database to fill, e.g. postgres://isu@db/isu (migrated first)
        #[arg(long)]
        to: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum MigrateAction {
    Up,
    Down,
    Status,
    Fresh,
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create a user. The password comes from ISU_USER_PASSWORD or a terminal prompt.
    Create {
        #[arg(long)]
        email: String,
        /// ISU_ADMIN, ISU_STAFF, DELEGATION or COORDINATOR.
        #[arg(long)]
        role: String,
        /// The State of a DELEGATION (ISO alpha-3).
        #[arg(long)]
        state: Option<String>,
        /// A thematic area of a COORDINATOR; repeat for several.
        #[arg(long = "area")]
        areas: Vec<String>,
    },
}

fn out(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn parse_enum<E: ActiveEnum<Value = String>>(what: &str, s: &str) -> Result<E, String> {
    E::try_from_value(&s.trim().to_uppercase()).map_err(|_| format!("unknown {what} `{s}`"))
}

fn user_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("ISU_USER_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err("set ISU_USER_PASSWORD, or run on a terminal to be prompted".into());
    }
    let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
    let again = rpassword::prompt_password("Repeat: ").map_err(|e| e.to_string())?;
    if first != again {
        return Err("the passwords differ".into());
    }
    Ok(first)
}

fn refusal_text(e: ccm_isu::kernel::error::ServiceError) -> String {
    match e {
        ccm_isu::kernel::error::ServiceError::Refused(r) => r
            .into_iter()
            .map(|r| format!("{:?}: {}", r.code, r.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("{other:?}"),
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings.clone())
                .await
                .map_err(|e| e.to_string())?;
            let addr = app.local_addr().map_err(|e| e.to_string())?;
            if app.context().console {
                tracing::info!(
                    "serving GraphQL on http://{addr}/graphql; open it in a browser for the console"
                );
            } else {
                tracing::info!(
                    "serving GraphQL on http://{addr}/graphql (POST; the console is off)"
                );
            }
            if let Some(metrics) = app.metrics_addr() {
                tracing::info!("serving /metrics on http://{metrics}/metrics only");
            }
            app.run_until_stopped(startup::shutdown_signal())
                .await
                .map_err(|e| e.to_string())
        }
        Command::Migrate { action } => {
            settings.validate().map_err(|e| e.to_string())?;
            let conn = db::connect(&settings).await.map_err(|e| e.to_string())?;
            let r = match action {
                MigrateAction::Up => Migrator::up(&conn, None).await,
                MigrateAction::Down => Migrator::down(&conn, Some(1)).await,
                MigrateAction::Status => Migrator::status(&conn).await,
                MigrateAction::Fresh => Migrator::fresh(&conn).await,
            };
            r.map_err(|e| e.to_string())
        }
        Command::Db {
            command: DbCommand::Copy { from, to },
        } => {
            let connect = |url: String| {
                let mut s = settings.clone();
                s.database_url = ccm_isu::kernel::config::Secret::new(&url);
                async move { db::connect(&s).await.map_err(|e| e.to_string()) }
            };
            let (source, target) = (connect(from).await?, connect(to).await?);
            let tables = ccm_isu::copy::copy(&source, &target)
                .await
                .map_err(|e| e.to_string())?;
            for t in &tables {
                out(&format!(
                    "{:<26} {:>8} rows  sha256 {}",
                    t.table, t.rows, t.checksum
                ));
            }
            let rows: u64 = tables.iter().map(|t| t.rows).sum();
            out(&format!(
                "copied {} tables, {rows} rows; counts and checksums match",
                tables.len()
            ));
            Ok(())
        }
        Command::ExportSchema => {
            let _ = write!(std::io::stdout().lock(), "{}", ccm_isu::api::sdl());
            Ok(())
        }
        Command::Users {
            command:
                UsersCommand::Create {
                    email,
                    role,
                    state,
                    areas,
                },
        } => {
            let role: UserRole = parse_enum("role", &role)?;
            let thematic_areas = areas
                .iter()
                .map(|a| parse_enum::<ThematicArea>("thematic area", a))
                .collect::<Result<Vec<_>, _>>()?;
            let password = user_password()?;
            let conn = connected(&settings).await?;
            let user = users::create_user(
                &conn,
                None,
                "createUser",
                users::NewUser {
                    email,
                    password,
                    role,
                    state_code: state,
                    thematic_areas,
                },
            )
            .await
            .map_err(refusal_text)?;
            out(&format!("created {} ({})", user.email, role.to_value()));
            Ok(())
        }
        Command::Import {
            command: ImportCommand::History { file },
        } => {
            let size = std::fs::metadata(&file)
                .map_err(|e| format!("{}: {e}", file.display()))?
                .len();
            if size > ccm_isu::domain::history::file::MAX_BYTES as u64 {
                return Err(format!(
                    "{}: larger than {} bytes",
                    file.display(),
                    ccm_isu::domain::history::file::MAX_BYTES
                ));
            }
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let conn = connected(&settings).await?;
            let today = ccm_isu::kernel::clock::Clock::new(settings.today).today();
            let name = file.display().to_string();
            let s = ccm_isu::domain::history::import::import(
                &conn,
                None,
                "importHistory",
                &name,
                &text,
                today,
            )
            .await
            .map_err(refusal_text)?;
            out(&format!(
                "{name} (sha256 {}): {} lines; reports {} created, {} updated, {} unchanged; \
                 extensions {} created, {} updated, {} unchanged; completions {} created, {} \
                 updated, {} unchanged; records_begin {} created, {} updated, {} unchanged{}",
                s.sha256,
                s.lines,
                s.reports.created,
                s.reports.updated,
                s.reports.unchanged,
                s.extensions.created,
                s.extensions.updated,
                s.extensions.unchanged,
                s.completions.created,
                s.completions.updated,
                s.completions.unchanged,
                s.records_begin.created,
                s.records_begin.updated,
                s.records_begin.unchanged,
                if s.changed() {
                    ""
                } else {
                    " (nothing changed)"
                }
            ));
            Ok(())
        }
        Command::ActionPlan {
            command:
                ActionPlanCommand::Import {
                    file,
                    title,
                    first_year,
                    last_year,
                },
        } => {
            use ccm_isu::domain::action_plan::import;
            let size = std::fs::metadata(&file)
                .map_err(|e| format!("{}: {e}", file.display()))?
                .len();
            if size > import::MAX_BYTES as u64 {
                return Err(format!(
                    "{}: larger than {} bytes",
                    file.display(),
                    import::MAX_BYTES
                ));
            }
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let conn = connected(&settings).await?;
            let name = file.display().to_string();
            let heading = import::PlanHeading {
                title,
                first_year,
                last_year,
            };
            let s = import::import(&conn, None, "importActionPlan", &heading, &name, &text)
                .await
                .map_err(refusal_text)?;
            out(&format!(
                "{name} (sha256 {}): {} rows; plan \"{}\" {}–{} {}; actions {} created, {} \
                 unchanged; indicators {} created, {} unchanged{}",
                s.sha256,
                s.rows,
                heading.title.trim(),
                first_year,
                last_year,
                if s.plan_created {
                    "created"
                } else {
                    "already there"
                },
                s.actions.created,
                s.actions.unchanged,
                s.indicators.created,
                s.indicators.unchanged,
                if s.changed() {
                    ""
                } else {
                    " (nothing changed)"
                }
            ));
            Ok(())
        }
        Command::Reminders {
            command: RemindersCommand::Plan { dry_run },
        } => {
            use ccm_isu::domain::notifications::{NotificationsConfig, planner};
            let config =
                NotificationsConfig::from_settings(&settings).map_err(|e| e.to_string())?;
            let conn = connected(&settings).await?;
            let today = ccm_isu::kernel::clock::Clock::new(settings.today).today();
            let r = planner::run(&conn, today, &config, dry_run)
                .await
                .map_err(|e| e.to_string())?;
            if dry_run {
                for line in planner_lines(&r) {
                    out(&line);
                }
            }
            out(&planner_summary(today, &r, dry_run));
            Ok(())
        }
        Command::Seed { states, file, demo } => {
            if !states && !demo {
                return Err("say what to load: --states and/or --demo".into());
            }
            let conn = connected(&settings).await?;
            if states {
                let text = match file {
                    Some(path) => Some(
                        std::fs::read_to_string(&path)
                            .map_err(|e| format!("{}: {e}", path.display()))?,
                    ),
                    None => None,
                };
                let r = seed::states(&conn, text.as_deref())
                    .await
                    .map_err(refusal_text)?;
                out(&format!(
                    "States registry: {} inserted, {} updated",
                    r.inserted, r.updated
                ));
            }
            if demo {
                let (password, generated) = match std::env::var("ISU_USER_PASSWORD") {
                    Ok(p) => (p, false),
                    Err(_) => (tokens::random_secret(12).map_err(refusal_text)?, true),
                };
                let r = seed::demo(&conn, &settings, &password)
                    .await
                    .map_err(refusal_text)?;
                for email in &r.users_created {
                    out(&format!("demo account created: {email}"));
                }
                for email in &r.users_present {
                    out(&format!("demo account already present: {email}"));
                }
                out(&format!(
                    "demo extensions recorded: {}; demo States updated: {}; demo reports created: {}; demo needs: {}; demo offers: {}; demo meetings: {}; demo sponsorship applications: {}; demo workplans: {}; demo invoices: {}; demo documents: {}; demo decisions: {}; demo extension requests: {}",
                    r.extensions_recorded,
                    r.states_updated,
                    r.reports_created,
                    r.needs_created,
                    r.offers_created,
                    r.meetings_created,
                    r.applications_created,
                    r.workplans_created,
                    r.invoices_issued,
                    r.documents_created,
                    r.decisions_created,
                    r.extension_requests_created
                ));
                if generated && !r.users_created.is_empty() {
                    out(&format!("password of the new demo accounts: {password}"));
                }
            }
            Ok(())
        }
    }
}

/// One line per reminder and decision notice a planner's run found due, e.g.
/// `NGA ANNUAL_TRANSPARENCY_REPORT 2024 due 2025-04-30 L30 DEADLINE_APPROACHING to
/// focal@example.org (FR) new`.
fn planner_lines(r: &ccm_isu::domain::notifications::planner::PlanReport) -> Vec<String> {
    use entity::enums::ObligationKind;
    let known = |in_outbox: bool| {
        if in_outbox {
            "already in the outbox"
        } else {
            "new"
        }
    };
    let mut lines: Vec<String> = r
        .planned
        .iter()
        .map(|p| {
            format!(
                "{} {} {} due {} {} {} to {} ({}{}) {}",
                p.state_code,
                ObligationKind::from(p.kind).to_value(),
                p.reporting_year
                    .map_or_else(|| "-".to_owned(), |y| y.to_string()),
                p.due_date,
                p.round,
                p.reason.to_value(),
                p.recipient,
                p.language.to_value(),
                if p.contact_point_id.is_none() {
                    ", the ISU's copy"
                } else {
                    ""
                },
                known(p.in_outbox)
            )
        })
        .collect();
    lines.extend(r.decisions.iter().map(|d| {
        format!(
            "decision {} due {} {} DECISION_DUE in the app of {} {}",
            d.reference,
            d.due_on,
            d.round,
            d.recipient,
            known(d.in_outbox)
        )
    }));
    lines.extend(r.submissions.iter().map(|p| {
        format!(
            "{} {} due {} submit an extension request by {} ({}) {} DEADLINE_APPROACHING to {} ({}) {}",
            p.state_code,
            ObligationKind::from(p.kind).to_value(),
            p.due_date,
            p.submit_by,
            p.meeting_title,
            p.round,
            p.recipient,
            p.language.to_value(),
            known(p.in_outbox)
        )
    }));
    lines
}

/// The last line of `reminders plan`.
fn planner_summary(
    today: chrono::NaiveDate,
    r: &ccm_isu::domain::notifications::planner::PlanReport,
    dry_run: bool,
) -> String {
    let known = r.planned.iter().filter(|p| p.in_outbox).count()
        + r.decisions.iter().filter(|d| d.in_outbox).count()
        + r.submissions.iter().filter(|s| s.in_outbox).count();
    let due = r.planned.len() + r.decisions.len() + r.submissions.len();
    let (write, cancel) = if dry_run {
        ("would write", "would cancel")
    } else {
        ("written", "cancelled")
    };
    format!(
        "{today}: {due} due today ({} reminders, {} decision notices, {} extension request \
         reminders; {known} already in the outbox); {write} {}, {cancel} {}{}",
        r.planned.len(),
        r.decisions.len(),
        r.submissions.len(),
        r.written,
        r.cancelled,
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    )
}

/// A migrated database with first-start data, for commands that write.
async fn connected(settings: &Settings) -> Result<sea_orm::DatabaseConnection, String> {
    settings.validate().map_err(|e| e.to_string())?;
    let conn = db::connect(settings).await.map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    startup::first_start(settings, &conn)
        .await
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.settings.log_format());
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "ccm-isu: {e}");
            ExitCode::FAILURE
        }
    }
}
