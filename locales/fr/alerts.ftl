# Ce que dit une notification en une ligne : titres des notifications push et alertes par courriel.
alert-mention = { $name } vous a mentionné·e
alert-direct = { $name } vous a envoyé un message direct
alert-status = { $name } vient de publier
alert-reblog = { $name } a partagé votre message
alert-follow = { $name } vous suit
alert-follow-request = { $name } demande à vous suivre
alert-favourite = { $name } a aimé votre message
alert-update = { $name } a modifié un message
alert-poll-own = Votre sondage est terminé
alert-poll = Un sondage auquel vous avez répondu est terminé
alert-join-request = { $name } demande à rejoindre { $community }
alert-report = { $name } a fait un signalement à traiter
alert-event = Votre événement commence dans moins d'une heure
alert-other = Nouvelle notification de { $name }
