"""The Auth0 log event-code table the demo generator draws from.

Pure data, no logic: one :class:`EventCode` row per ``type`` value Auth0 has documented, current or
historical (184 codes: the union of the seed code table in ``reference/seed-auth0-logs.txt`` and the
current docs / auth0-log-schemas table in ``reference/event-codes.md``).

Per row:

* ``event`` and ``category``: the docs' event name and the log-stream filter category ("" when the
  docs give none, e.g. for historical codes).
* ``family``: which builder in :mod:`auth0_logq.demo.generate` shapes the event (which top-level keys
  it carries and what its ``details`` look like).
* ``weight``: relative frequency in background traffic, per 10,000 events. 0 means the code only
  appears where a scenario or the coverage pass puts it (attack-protection events, system notices,
  historical codes).
* ``descriptions``: what the log's own ``description`` field holds. That is *not* the docs' prose:
  successful logins carry no ``description`` key at all (``()``), token exchanges an empty string
  (``("",)``), failures the error message shown to the user, Guardian events a sentence. Placeholders
  ``{user_name}``, ``{ip}``, ``{email}`` and ``{phone_number}`` are filled per event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventCode:
    """One Auth0 log ``type`` code and how the generator renders it."""

    code: str
    event: str
    category: str
    family: str
    weight: int
    descriptions: tuple[str, ...]
    legacy: bool = False


EVENT_CODES: tuple[EventCode, ...] = (
    # --- login ---
    EventCode("s", "Success Login", "auth.login.success", "login", 2000, ()),
    EventCode("scoa", "Success cross-origin authentication", "auth.login.success", "login", 35, ("",)),
    EventCode("scv", "Success Credential Validation", "auth.login.notification", "login", 5, ("",)),
    EventCode("sdel", "Successful Delegated Login", "auth.login.success", "login", 0, ()),
    # --- silent ---
    EventCode("fdelsa", "Failed Delegated Silent Authentication", "auth.silent_auth.fail", "silent", 1, ("Login required",)),
    EventCode("fsa", "Failed Silent Auth", "auth.silent_auth.fail", "silent", 260, ("Login required", "Consent required", "Multifactor authentication required")),
    EventCode("sdelsa", "Successful Delegated Silent Authentication", "auth.silent_auth.success", "silent", 1, ()),
    EventCode("ssa", "Success Silent Auth", "auth.silent_auth.success", "silent", 1500, ()),
    # --- login_fail ---
    EventCode("f", "Failed Login", "auth.login.fail", "login_fail", 60, ("Callback URL mismatch. https://app.acme.example/callback/ is not in the list of allowed callback URLs", "the connection is not enabled", "Invalid state", "missing username parameter", "Service not enabled within domain: https://api.acme.example/")),
    EventCode("fco", "Failed by CORS", "other", "login_fail", 1, ("Origin https://shop.acme.example is not in the list of allowed origins for client Acme Web",)),
    EventCode("fcoa", "Failed cross-origin authentication", "auth.login.fail", "login_fail", 6, ("Wrong email or password.",)),
    EventCode("fp", "Failed Login (Incorrect Password)", "auth.login.fail", "login_fail", 330, ("Wrong email or password.",)),
    EventCode("fu", "Failed Login (Invalid Email/Username)", "auth.login.fail", "login_fail", 230, ("Wrong email or password.",)),
    EventCode("mfar", "MFA Required", "other", "login_fail", 1, ("Multifactor authentication required",)),
    EventCode("passkey_challenge_failed", "Passkey Challenge Failed", "other", "login_fail", 1, ("Native passkey challenge failed: the authenticator response could not be verified",)),
    EventCode("passkey_challenge_started", "Passkey Challenge Started", "other", "login_fail", 1, ("Native passkey challenge was successfully initiated",)),
    EventCode("pla", "Pre-login assessment", "other", "login_fail", 10, ("",)),
    EventCode("w", "Warning During Login", "auth.login.notification", "login_fail", 12, ("The user {user_name} has no verified email address; account linking was skipped.", "Redirect URI contains a fragment (#); the fragment was discarded.")),
    # --- exchange ---
    EventCode("ciba_exchange_failed", "Failed CIBA Exchange", "auth.token_exchange.fail", "exchange", 1, ("The end-user authorization is pending",)),
    EventCode("ciba_exchange_succeeded", "Successful CIBA Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("ciba_start_failed", "Failed CIBA Start", "other", "exchange", 1, ("Invalid login_hint: user not found",)),
    EventCode("ciba_start_succeeded", "Successful CIBA Start", "other", "exchange", 1, ("",)),
    EventCode("failed_on_behalf_of_token_exchange", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Invalid subject_token",)),
    EventCode("fdeleacft", "Failed to Exchange Delegated Authorization Code for Access Token", "auth.token_exchange.fail", "exchange", 1, ("Invalid authorization code",)),
    EventCode("feacft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 10, ("Invalid authorization code",)),
    EventCode("feccft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 5, ("Client is not authorized to access \"https://api.acme.example/\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants", "Unauthorized")),
    EventCode("fecte", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Custom token exchange failed: subject_token signature is invalid",)),
    EventCode("fede", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Expired device code",)),
    EventCode("fens", "Failed Exchange", "auth.login.fail", "exchange", 1, ("Invalid subject_token: token audience does not match the connection client_id",)),
    EventCode("feoobft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Invalid binding_code.",)),
    EventCode("feotpft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 3, ("Invalid otp_code.",)),
    EventCode("fepft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 5, ("Wrong email or password.",)),
    EventCode("fepotpft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Wrong email or verification code.",)),
    EventCode("fercft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Invalid recovery code.",)),
    EventCode("ferrt", "Failed Exchange", "auth.token_exchange.fail", "exchange", 3, ("Unsuccessful Refresh Token exchange, reused refresh token detected",)),
    EventCode("fertft", "Failed Exchange", "auth.token_exchange.fail", "exchange", 25, ("Unknown or invalid refresh token.",)),
    EventCode("feta", "Failed Exchange", "auth.token_exchange.success", "exchange", 1, ("Federated connection refresh token not found.",)),
    EventCode("idjag_exchange_failed", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Invalid ID-JAG assertion: audience mismatch",)),
    EventCode("idjag_exchange_succeeded", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("jwt_bearer_exchange_failed", "Failed Exchange", "auth.token_exchange.fail", "exchange", 1, ("Invalid JWT assertion: signature verification failed",)),
    EventCode("sdeleacft", "Successful Exchange of Delegated Authorization Code for Access Token", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("seacft", "Success Exchange", "auth.token_exchange.success", "exchange", 1500, ("",)),
    EventCode("seccft", "Success Exchange", "auth.token_exchange.success", "exchange", 450, ("",)),
    EventCode("secte", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sede", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sens", "Success Exchange", "auth.login.success", "exchange", 15, ("",)),
    EventCode("seoobft", "Success Exchange", "auth.token_exchange.success", "exchange", 10, ("",)),
    EventCode("seotpft", "Success Exchange", "auth.token_exchange.success", "exchange", 12, ("",)),
    EventCode("sepft", "Success Exchange", "auth.token_exchange.success", "exchange", 25, ("",)),
    EventCode("sepkoobft", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sepkotpft", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sepkrcft", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sercft", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("sertft", "Success Exchange", "auth.token_exchange.success", "exchange", 900, ("",)),
    EventCode("seta", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    EventCode("success_on_behalf_of_token_exchange", "Success Exchange", "auth.token_exchange.success", "exchange", 1, ("",)),
    # --- logout ---
    EventCode("federated_logout_failed", "Failed Federated Logout", "auth.logout.fail", "logout", 1, ("Failed to logout of the upstream Identity Provider",)),
    EventCode("flo", "Failed Logout", "auth.logout.fail", "logout", 3, ("The \"returnTo\" querystring parameter \"https://app.acme.example/bye\" is not defined as a valid URL in \"Allowed Logout URLs\". To add a new URL, please do it here: https://manage.auth0.com/#/applications",)),
    EventCode("oidc_backchannel_logout_failed", "Failed OIDC Back-Channel Logout request", "auth.logout.fail", "logout", 1, ("Failed OIDC Back-Channel Logout request: https://admin.acme.example/backchannel-logout responded with HTTP 503",)),
    EventCode("oidc_backchannel_logout_succeeded", "Successful OIDC Back-Channel Logout request", "auth.logout.success", "logout", 1, ("Successful OIDC Back-Channel Logout request",)),
    EventCode("slo", "Success Logout", "auth.logout.success", "logout", 550, ()),
    EventCode("universal_logout_failed", "Failed Universal Logout request", "auth.logout.fail", "logout", 1, ("Failed Universal Logout request: identity provider acme-okta did not respond",)),
    EventCode("universal_logout_succeeded", "Successful Universal Logout request", "auth.logout.success", "logout", 1, ("Successful Universal Logout request",)),
    # --- signup ---
    EventCode("fs", "Failed Signup", "auth.signup.fail", "signup", 25, ("Password is too weak", "The user already exists.", "Invalid sign up")),
    EventCode("ss", "Success Signup", "auth.signup.success", "signup", 110, ("",)),
    # --- account ---
    EventCode("actions_execution_failed", "Actions Execution Failed", "actions", "account", 1, ("Action 'enrich-profile' failed: Cannot read properties of undefined (reading 'country')",)),
    EventCode("connected_accounts_connection_failed", "Failed Connected Account Connection", "user.fail", "account", 1, ("Failed to connect account: the user denied consent at the provider",)),
    EventCode("connected_accounts_connection_succeeded", "Successful Connected Account Connection", "user.success", "account", 1, ("",)),
    EventCode("connected_accounts_delete_failed", "Failed Connected Account Delete", "user.fail", "account", 1, ("Connected account not found",)),
    EventCode("connected_accounts_delete_succeeded", "Successful Connected Account Delete", "user.success", "account", 1, ("",)),
    EventCode("du", "Deleted User", "", "account", 0, ("User has been deleted.",), legacy=True),
    EventCode("fce", "Failed Change Email", "user.fail", "account", 1, ("The specified new email already exists",)),
    EventCode("fcp", "Failed Change Password", "user.fail", "account", 4, ("PasswordHistoryError: Password has previously been used", "Password is too weak")),
    EventCode("fcph", "Failed Post Change Password Hook", "user.fail", "account", 1, ("Post Change Password hook failed: Script execution time exceeded",)),
    EventCode("fcpn", "Failed Change Phone Number", "user.fail", "account", 1, ("Invalid phone number format",)),
    EventCode("fcpr", "Failed Change Password Request", "user.fail", "account", 8, ("The user does not exist.",)),
    EventCode("fcu", "Failed Change Username", "user.fail", "account", 1, ("The specified new username already exists",)),
    EventCode("fd", "Failed Delegation", "user.fail", "account", 1, ("Invalid id_token",)),
    EventCode("fdeac", "Failed Device Activation", "other", "account", 1, ("Invalid user code",)),
    EventCode("fdeaz", "Failed Device Authorization Request", "user.fail", "account", 1, ("Unauthorized client: the client is not allowed to use the device code grant",)),
    EventCode("fdecc", "User Canceled Device Confirmation", "user.fail", "account", 1, ("User canceled the confirmation prompt",)),
    EventCode("fdu", "Failed User Deletion", "user.fail", "account", 1, ("The user does not exist.",)),
    EventCode("fi", "Failed invite accept", "other", "account", 1, ("The invitation was sent to a different email address than the one used to accept it",)),
    EventCode("flows_execution_completed", "Flows Execution Completed", "other", "account", 1, ("",)),
    EventCode("flows_execution_failed", "Flows Execution Failed", "other", "account", 1, ("Flow execution failed: HTTP request to https://crm.acme.example/api/leads returned 500",)),
    EventCode("forms_submission_failed", "Forms Submission Failed", "other", "account", 1, ("Form validation failed: field 'company_size' is required",)),
    EventCode("forms_submission_succeeded", "Forms Submission Succeeded", "other", "account", 1, ("",)),
    EventCode("fpar", "Failed Pushed Authorization Request", "other", "account", 1, ("Invalid redirect_uri",)),
    EventCode("fpurh", "Failed Post User Registration Hook", "other", "account", 1, ("Post User Registration hook failed: request to https://hooks.acme.example/registered timed out",)),
    EventCode("fscim", "Failed SCIM Operation", "scim.event", "account", 1, ("SCIM operation failed: userName already exists",)),
    EventCode("fv", "Failed Verification Email", "user.fail", "account", 3, ("Access expired.",)),
    EventCode("fvr", "Failed Verification Email Request", "user.fail", "account", 2, ("The user does not exist.",)),
    EventCode("my_account_authentication_method_failed", "Failed authentication method operation in My Account API", "user.fail", "account", 1, ("Authentication method not found",)),
    EventCode("my_account_authentication_method_succeeded", "Successful authentication method operation in My Account API", "user.success", "account", 1, ("",)),
    EventCode("organization_member_added", "Organization Member Added", "other", "account", 2, ("",)),
    EventCode("rich_consents_access_error", "Rich Consents Access Error", "other", "account", 1, ("Error fetching a Rich Consent record",)),
    EventCode("sce", "Success Change Email", "user.success", "account", 4, ("",)),
    EventCode("scp", "Success Change Password", "user.success", "account", 40, ("Password changed successfully.",)),
    EventCode("scph", "Success Post Change Password Hook", "", "account", 0, ("",), legacy=True),
    EventCode("scpn", "Success Change Phone Number", "user.success", "account", 3, ("",)),
    EventCode("scpr", "Success Change Password Request", "user.success", "account", 45, ("",)),
    EventCode("scu", "Success Change Username", "user.success", "account", 1, ("",)),
    EventCode("sd", "Success Delegation", "user.success", "account", 1, ("",)),
    EventCode("sdu", "Success User Deletion", "user.success", "account", 3, ("",)),
    EventCode("si", "Successfully accepted a user invite", "other", "account", 2, ("",)),
    EventCode("srrt", "Successful Refresh Token Revocation", "user.success", "account", 6, ("",)),
    EventCode("ss_sso_failure", "Failed SS-SSO Operation", "user.fail", "account", 1, ("Self-service SSO ticket expired",)),
    EventCode("ss_sso_info", "Information from an SS-SSO Operation", "user.notification", "account", 1, ("Try-connection flow started",)),
    EventCode("ss_sso_success", "Success SS-SSO Operation", "user.success", "account", 1, ("Self-service SSO ticket consumed",)),
    EventCode("sscim", "Successful SCIM Operation", "scim.event", "account", 1, ("",)),
    EventCode("sv", "Success Verification Email", "user.success", "account", 80, ("Your email was verified. You can continue using the application.",)),
    EventCode("svr", "Success Verification Email Request", "user.success", "account", 60, ("",)),
    EventCode("too_many_records", "Max Amount of Authenticators", "", "account", 1, ("User has created the maximum amount of authenticators",)),
    EventCode("wn", "Warning Sending Notification", "other", "account", 1, ("Email delivery to {email} was deferred by the provider; it will be retried",)),
    EventCode("wum", "Warning User Management", "other", "account", 1, ("User metadata is close to the 16 KB size limit",)),
    # --- notification ---
    EventCode("cls", "Code/Link Sent", "other", "notification", 70, ("",)),
    EventCode("cs", "Code Sent", "user.notification", "notification", 40, ("",)),
    EventCode("fn", "Failed Sending Notification", "user.fail", "notification", 8, ("To: {email}",)),
    # --- mfa ---
    EventCode("gd_auth_email_verification", "Email Verification Confirmed", "other", "mfa", 1, ("Email verification completed successfully",)),
    EventCode("gd_auth_fail_email_verification", "Email Verification Failed", "", "mfa", 1, ("Email verification failed",)),
    EventCode("gd_auth_failed", "MFA Auth failed", "other", "mfa", 12, ("Multi-factor authentication failed",)),
    EventCode("gd_auth_rejected", "MFA Auth rejected", "other", "mfa", 2, ("A user rejected a Multi-factor authentication request via push-notification",)),
    EventCode("gd_auth_succeed", "MFA Auth success", "other", "mfa", 95, ("Multi-factor authentication success",)),
    EventCode("gd_enrollment_complete", "MFA enrollment complete", "user.notification", "mfa", 3, ("A first time MFA user has successfully enrolled using one of the factors",)),
    EventCode("gd_module_switch", "Module switch", "", "mfa", 0, ("Module switch",), legacy=True),
    EventCode("gd_otp_rate_limit_exceed", "Too many MFA failures", "other", "mfa", 1, ("Too many failures",)),
    EventCode("gd_recovery_failed", "Recovery failed", "other", "mfa", 1, ("Multi-factor recovery code failed",)),
    EventCode("gd_recovery_rate_limit_exceed", "Multi-factor recovery code has failed too many times", "", "mfa", 1, ("Multi-factor recovery code has failed too many times",)),
    EventCode("gd_recovery_succeed", "MFA recovery success", "other", "mfa", 1, ("Multi-factor recovery code succeeded authorization",)),
    EventCode("gd_send_email", "MFA Email Sent", "other", "mfa", 8, ("Email for MFA successfully sent",)),
    EventCode("gd_send_email_verification", "Email Verification Sent", "other", "mfa", 1, ("Verification email sent successfully",)),
    EventCode("gd_send_email_verification_failure", "Email Verification Failed", "", "mfa", 1, ("Email verification failed",)),
    EventCode("gd_send_pn", "Push notification sent", "other", "mfa", 45, ("Push notification for MFA successfully sent",)),
    EventCode("gd_send_pn_failure", "Error Sending MFA Push Notification", "other", "mfa", 1, ("Push notification for MFA failed",)),
    EventCode("gd_send_sms", "MFA SMS Sent", "other", "mfa", 40, ("SMS for MFA successfully sent",)),
    EventCode("gd_send_sms_failure", "Error Sending MFA SMS", "other", "mfa", 1, ("Attempt to send SMS for MFA failed",)),
    EventCode("gd_send_voice", "MFA voice call success", "other", "mfa", 2, ("Voice call for MFA successfully made",)),
    EventCode("gd_send_voice_failure", "MFA voice call failed", "other", "mfa", 1, ("Attempt to make Voice call for MFA failed",)),
    EventCode("gd_start_auth", "Second factor started", "other", "mfa", 110, ("Second factor authentication event started for MFA",)),
    EventCode("gd_start_enroll", "MFA Enroll started", "user.notification", "mfa", 3, ("Multi-factor authentication enroll has started",)),
    EventCode("gd_start_enroll_failed", "MFA Enrollment Failed", "other", "mfa", 1, ("Push to start enrollment failed",)),
    EventCode("gd_unenroll", "Unenroll device account", "user.notification", "mfa", 1, ("Device used for second factor authentication has been unenrolled",)),
    EventCode("gd_update_device_account", "Update device account", "user.notification", "mfa", 1, ("Device used for second factor authentication has been updated",)),
    EventCode("gd_user_delete", "User delete", "", "mfa", 0, ("Deleted multi-factor user account",), legacy=True),
    EventCode("gd_webauthn_challenge_failed", "WebAuthn browser error", "other", "mfa", 1, ("User failed to verify Webauthn factor",)),
    EventCode("gd_webauthn_enrollment_failed", "WebAuthn browser error", "other", "mfa", 1, ("WebAuthn browser enrollment failed",)),
    # --- management ---
    EventCode("fapi", "Failed API Operation", "", "management", 0, ("Insufficient scope, expected any of: update:clients", "Payload validation error: 'Too many properties' on property user_metadata"), legacy=True),
    EventCode("kms_key_management_failure", "Failed KMS API Operation", "other", "management", 0, ("KMS operation failed: the customer-provided root key is disabled",)),
    EventCode("kms_key_management_success", "Success KMS API Operation", "other", "management", 0, ("KMS operation completed successfully",)),
    EventCode("mgmt_api_read", "Management API read Operation", "management.success", "management", 150, ("Get a client",)),
    EventCode("sapi", "Success API Operation", "management.success", "management", 110, ("Update a client",)),
    EventCode("gd_tenant_update", "Guardian tenant update", "other", "management", 0, ("Guardian - Updates tenant settings",)),
    # --- anomaly ---
    EventCode("limit_delegation", "Too Many Calls to /delegation", "system.notification", "anomaly", 0, ("Too many calls to /delegation",)),
    EventCode("limit_mu", "Blocked IP Address", "system.notification", "anomaly", 0, ("Too many failed login attempts from IP address {ip}. Suspicious IP throttling is enabled for this tenant, further attempts are blocked from this IP address.",)),
    EventCode("limit_phone", "Blocked Phone Delivery - Too many phone delivery attempts", "system.notification", "anomaly", 0, ("Too many phone delivery attempts to {phone_number}. Further deliveries are blocked for one hour.",)),
    EventCode("limit_sul", "Blocked Account", "other", "anomaly", 0, ("User ({user_name}) reached the maximum number of logins allowed from this IP address. Further logins from {ip} are temporarily blocked.",)),
    EventCode("limit_wc", "Blocked Account", "system.notification", "anomaly", 0, ("User ({user_name}) attempted 10 consecutive logins unsuccessfully. Brute force protection is enabled for this connection, further attempts are blocked from this IP address for this user.",)),
    EventCode("pwd_leak", "Breached password", "other", "anomaly", 0, ("Someone behind the IP address: {ip} attempted to login with a leaked password. A shield to prevent this action was enabled, further attempts are blocked.",)),
    EventCode("reset_pwd_leak", "Breached Password on Reset", "other", "anomaly", 0, ("Someone behind the IP address: {ip} attempted to reset with a leaked password. A shield to prevent this action was enabled, further attempts are blocked.",)),
    EventCode("signup_pwd_leak", "Breached Password on Signup", "other", "anomaly", 0, ("Someone behind the IP address: {ip} attempted to signup with a leaked password. A shield to prevent this action was enabled, further attempts are blocked.",)),
    EventCode("ublkdu", "User login block released", "user.notification", "anomaly", 0, ("User block setup by anomaly detection has been released for {user_name}",)),
    # --- system ---
    EventCode("acls_summary", "Network ACLs Summary", "other", "system", 0, ("Network ACL summary: rule 'block-datacenter-asns' matched 37 requests in the last 10 minutes",)),
    EventCode("acul_sdk_notice", "ACUL SDK Notice", "system.notification", "system", 0, ("ACUL SDK notification: @auth0/auth0-acul-js 0.1.0-beta.6 is deprecated, upgrade to 1.x",)),
    EventCode("admin_update_launch", "Auth0 Update Launched", "", "system", 0, ("Auth0 Update Launched",), legacy=True),
    EventCode("api_limit", "Rate Limit on the Authentication or Management APIs", "system.notification", "system", 1, ("You passed the limit of allowed calls to 'GET /api/v2/users' (client Acme Provisioning). Retry after the X-RateLimit-Reset time.",)),
    EventCode("api_limit_warning", "Rate Limit Warning on the Authentication or Management APIs", "system.notification", "system", 2, ("You are close to the limit of allowed calls to 'GET /api/v2/users' (80% of the bucket used).",)),
    EventCode("appi", "Notice for API Peak Performance initiated", "system.notification", "system", 0, ("API Peak Performance initiated: Authentication API limits raised by 100 RPS for up to 48 hours",)),
    EventCode("coff", "Connector Offline", "", "system", 0, ("AD/LDAP Connector is offline",), legacy=True),
    EventCode("con", "Connector Online", "", "system", 0, ("AD/LDAP Connector is online and working",), legacy=True),
    EventCode("custom_domain_verification_failed", "Custom Domain Verification Failed", "system.notification", "system", 0, ("Unable to verify custom domain id.acme.example: CNAME record not found",)),
    EventCode("depnote", "Deprecation Notice", "system.notification", "system", 0, ("Legacy Lock API: This feature is being deprecated. Please refer to our documentation to learn how to migrate your application.",)),
    EventCode("directory_sync_completed", "Inbound Directory Sync Completed", "system.notification", "system", 0, ("Inbound directory sync completed for connection acme-okta: 3 created, 12 updated, 1 deleted",)),
    EventCode("directory_sync_failed", "Inbound Directory Sync Failed", "system.notification", "system", 0, ("Inbound directory sync failed for connection acme-okta: invalid API token",)),
    EventCode("directory_sync_started", "Inbound Directory Sync Started", "system.notification", "system", 0, ("Inbound directory sync started for connection acme-okta",)),
    EventCode("fc", "Failed by Connector", "", "system", 0, ("Connector did not respond within 10 seconds",)),
    EventCode("fcpro", "Failed Connector Provisioning", "system.notification", "system", 0, ("Failed to provision an AD/LDAP connector: the provisioning ticket has expired",)),
    EventCode("fui", "Failed users import", "system.notification", "system", 0, ("Failed to import users: the users file is not valid JSON",)),
    EventCode("kms_key_state_changed", "KMS Key State Change", "other", "system", 0, ("KMS key state changed from enabled to disabled",)),
    EventCode("resource_cleanup", "Success Resource Cleanup", "other", "system", 0, ("Removed 25 refresh tokens exceeding the per-user limit of 200",)),
    EventCode("sui", "Successfully imported users", "user.success", "system", 0, ("Successfully imported users",)),
    EventCode("sys_os_update_end", "Auth0 OS Update Ended", "", "system", 0, ("Auth0 OS Update Ended",), legacy=True),
    EventCode("sys_os_update_start", "Auth0 OS Update Started", "", "system", 0, ("Auth0 OS Update Started",), legacy=True),
    EventCode("sys_update_end", "Auth0 Update Ended", "", "system", 0, ("Auth0 Update Ended",), legacy=True),
    EventCode("sys_update_start", "Auth0 Update Started", "", "system", 0, ("Auth0 Update Started",), legacy=True),
)

#: Every code in the seed code table (reference/seed-auth0-logs.txt); each must appear in the demo.
SEED_CODES: tuple[str, ...] = (
    "admin_update_launch", "api_limit", "cls", "coff", "con", "cs", "depnote", "du", "f", "fapi",
    "fc", "fce", "fco", "fcoa", "fcp", "fcph", "fcpn", "fcpr", "fcpro", "fcu", "fd", "fdeac",
    "fdeaz", "fdecc", "fdu", "feacft", "feccft", "fede", "feoobft", "feotpft", "fepft", "fercft",
    "fertft", "flo", "fn", "fp", "fs", "fsa", "fu", "fui", "fv", "fvr", "gd_auth_failed",
    "gd_auth_rejected", "gd_auth_succeed", "gd_enrollment_complete", "gd_module_switch",
    "gd_otp_rate_limit_exceed", "gd_recovery_failed", "gd_recovery_rate_limit_exceed",
    "gd_recovery_succeed", "gd_send_pn", "gd_send_sms", "gd_start_auth", "gd_start_enroll",
    "gd_tenant_update", "gd_unenroll", "gd_update_device_account", "gd_user_delete",
    "limit_delegation", "limit_mu", "limit_wc", "pwd_leak", "s", "sapi", "sce", "scoa", "scp",
    "scph", "scpn", "scpr", "scu", "sd", "sdu", "seacft", "seccft", "sede", "seoobft", "seotpft",
    "sepft", "sercft", "sertft", "slo", "ss", "ssa", "sui", "sv", "svr", "sys_os_update_end",
    "sys_os_update_start", "sys_update_end", "sys_update_start", "ublkdu", "w",
)

#: code -> row
CODES: dict[str, EventCode] = {row.code: row for row in EVENT_CODES}

FAMILIES: tuple[str, ...] = (
    "login", "silent", "login_fail", "exchange", "logout", "signup", "account",
    "notification", "mfa", "management", "anomaly", "system",
)
