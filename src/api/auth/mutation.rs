//! Mutations of sessions and users: thin wrappers over [`crate::auth::sessions`] and [`crate::domain::users::service`].

use async_graphql::{Context, Object};

use super::types::{
    AuthPayload, ChangePasswordInput, ChangePasswordPayload, CreateUserInput, DeactivateUserInput,
    LoginInput, LogoutInput, LogoutPayload, RefreshSessionInput, UserPayload,
};
use crate::api::errors::respond;
use crate::api::{app, client_addr, ids, viewer};
use crate::auth::sessions;
use crate::domain::users::service::{self, NewUser};
use crate::kernel::error::{Code, ServiceError};

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Opens a session. Wrong passwords and unknown emails get the same INVALID_CREDENTIALS;
    /// repeated failures get RATE_LIMITED.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's email and password.")] input: LoginInput,
    ) -> async_graphql::Result<AuthPayload> {
        let (app, addr) = (app(ctx)?, client_addr(ctx)?);
        respond(sessions::login(&app.db, &app.keys, &input.email, input.password, addr).await)
    }

    /// Exchanges a refresh token for a new access token and a new refresh token.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token to exchange.")] input: RefreshSessionInput,
    ) -> async_graphql::Result<AuthPayload> {
        let app = app(ctx)?;
        respond(sessions::refresh(&app.db, &app.keys, &input.refresh_token).await)
    }

    /// Ends the session of this refresh token, and its access tokens.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the session to end.")] input: LogoutInput,
    ) -> async_graphql::Result<LogoutPayload> {
        respond(sessions::logout(&app(ctx)?.db, &input.refresh_token).await)
    }

    /// Creates an account. ISU_ADMIN only.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new account.")] input: CreateUserInput,
    ) -> async_graphql::Result<UserPayload> {
        let new = NewUser {
            email: input.email,
            password: input.password,
            role: input.role.into(),
            state_code: input.state_code,
            thematic_areas: input
                .thematic_areas
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        respond(service::create_user_as(&app(ctx)?.db, viewer(ctx), new).await)
    }

    /// Changes your own password. Ends every other session of the user.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your current password and the new one.")] input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        let addr = client_addr(ctx)?;
        respond(
            service::change_password(
                &app(ctx)?.db,
                viewer(ctx),
                input.current_password,
                input.new_password,
                addr,
            )
            .await,
        )
    }

    /// Deactivates an account and ends its sessions. ISU_ADMIN only.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account to deactivate.")] input: DeactivateUserInput,
    ) -> async_graphql::Result<UserPayload> {
        let viewer = viewer(ctx);
        let result = match ids::key::<super::types::User>(&input.id) {
            Some(id) => service::deactivate_user(&app(ctx)?.db, viewer, id).await,
            None => viewer
                .require_role(&[entity::enums::UserRole::IsuAdmin])
                .and(Err(ServiceError::refused(
                    Code::NotFound,
                    &["input", "id"],
                    "No such user.",
                ))),
        };
        respond(result)
    }
}
