# Courriel : messages du compte, alertes et résumés.
mail-unsubscribe = Ne plus recevoir ces courriels
mail-notice-not-you = Si ce n'était pas vous, réinitialisez votre mot de passe tout de suite et prévenez votre administrateur.
mail-confirm-subject = Confirmez votre adresse électronique pour { $instance }
mail-confirm-body = Ouvrez ce lien pour confirmer que { $email } est bien votre adresse. D'ici là, vous ne pouvez ni vous connecter avec elle ni recevoir nos courriels.
mail-confirm-action = Confirmer mon adresse
mail-confirm-footer = Vous recevez ce courriel parce que cette adresse a été donnée pour un compte. Si ce n'était pas vous, ignorez-le : rien ne se passe sans le lien.
mail-email-changed-subject = Votre adresse électronique a changé
mail-email-changed-body = L'adresse de votre compte est maintenant { $email }. Cette adresse-ci ne recevra plus nos courriels.
mail-reset-subject = Réinitialisez votre mot de passe
mail-reset-body = Quelqu'un a demandé à réinitialiser le mot de passe de votre compte. Le lien ci-dessous fonctionne une fois, pendant une heure.
mail-reset-action = Choisir un nouveau mot de passe
mail-reset-footer = Si vous n'avez rien demandé, ignorez ce courriel : votre mot de passe reste le même.
mail-password-changed-subject = Votre mot de passe a changé
mail-password-changed-body = Le mot de passe de votre compte vient d'être changé.
mail-password-reset-body = Il l'a été par un lien de réinitialisation : toutes les sessions et applications ont été déconnectées.
mail-invite-subject = Vous êtes invité·e à rejoindre { $instance }
mail-invite-body = { $name } vous invite à rejoindre le réseau social de votre organisation.
mail-invite-action = Créer mon compte
mail-invite-footer = Cette invitation fonctionne une fois, pendant 14 jours.
mail-confidential = Une nouvelle publication à lire sur le réseau
mail-confidential-in = Une nouvelle publication dans { $community }
mail-alerts-subject = { $count ->
    [one] Une nouvelle notification
   *[other] { $count } nouvelles notifications
}
mail-alerts-action = Voir mes notifications
mail-alerts-footer = Vous recevez ces alertes parce que vous ne les avez pas vues dans l'application ni sur le web. Choisissez celles que vous recevez dans vos paramètres : { $settings }
mail-digest-weekly = Cette semaine sur { $instance }
mail-digest-daily = Aujourd'hui sur { $instance }
mail-digest-intro = Ce qui s'est passé dans vos communautés.
mail-digest-threads = Les nouvelles discussions les plus animées
mail-digest-events = À venir
mail-digest-documents = Nouveaux documents
mail-digest-counts = { $replies } réponses, { $likes } j'aime
mail-digest-action = Ouvrir le réseau
mail-digest-footer = Vous recevez ce résumé parce qu'il est activé dans vos paramètres : { $settings }
