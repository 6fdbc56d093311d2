# E-mail: account mail, alerts and digests.
mail-unsubscribe = Stop receiving these e-mails
mail-notice-not-you = If you did not do this, reset your password at once and tell your administrator.
mail-confirm-subject = Confirm your e-mail address for { $instance }
mail-confirm-body = Open this link to confirm that { $email } is your address. Until then, you cannot sign in with it or receive e-mail from us.
mail-confirm-action = Confirm my address
mail-confirm-footer = You receive this e-mail because this address was given for an account. If it was not you, ignore it: nothing happens without the link.
mail-email-changed-subject = Your e-mail address has changed
mail-email-changed-body = Your account's address is now { $email }. This address will no longer receive our e-mail.
mail-reset-subject = Reset your password
mail-reset-body = Someone asked to reset the password of your account. The link below works once, for one hour.
mail-reset-action = Choose a new password
mail-reset-footer = If you did not ask for this, ignore this e-mail: your password stays as it is.
mail-password-changed-subject = Your password has changed
mail-password-changed-body = The password of your account was just changed.
mail-password-reset-body = It was changed through a reset link: every session and app was signed out.
mail-invite-subject = You are invited to join { $instance }
mail-invite-body = { $name } invites you to join your organisation's social network.
mail-invite-action = Create my account
mail-invite-footer = This invitation works once and for 14 days.
mail-confidential = A new post you can read on the network
mail-confidential-in = A new post in { $community }
mail-alerts-subject = { $count ->
    [one] One new notification
   *[other] { $count } new notifications
}
mail-alerts-action = See my notifications
mail-alerts-footer = You receive these alerts because you have not seen them in the app or on the web. Choose which ones you get in your settings: { $settings }
mail-digest-weekly = This week on { $instance }
mail-digest-daily = Today on { $instance }
mail-digest-intro = What happened in your communities.
mail-digest-threads = Most discussed new threads
mail-digest-events = Coming up
mail-digest-documents = New documents
mail-digest-counts = { $replies } replies, { $likes } likes
mail-digest-action = Open the network
mail-digest-footer = You receive this digest because it is on in your settings: { $settings }
