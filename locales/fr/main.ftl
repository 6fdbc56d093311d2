# L'interface web de Passerelle, en français. Chaque clé existe aussi dans
# en/main.ftl (un test unitaire vérifie les deux fichiers et les gabarits).

skip-to-content = Aller au contenu
nav-label = Principal
nav-home = Accueil
nav-communities = Communautés
nav-profile = Mon profil
nav-settings = Réglages
nav-sign-out = Se déconnecter
nav-sign-in = Se connecter
language = Langue
language-apply = Appliquer
language-choose = Langue de l'interface
powered-by = Propulsé par Passerelle, logiciel libre (AGPL-3.0).

error-not-found = Cette page n'existe pas ou ne vous est pas visible
error-forbidden = Vous ne pouvez pas faire cela
error-too-many = Trop de tentatives : patientez un instant puis réessayez
error-server = Un problème est survenu de notre côté
error-invalid = Cela n'a pas pu être fait
error-code = Erreur { $code }
error-home = Retour à l'accueil

public = Public
unlisted = Non listé
private = Abonnés seulement
direct = Direct
partners = Partenaires
members = Membres seulement
internal = Interne

boosted-by = Partagé par { $name }
in-community = dans
edited = (modifié)
post-deleted = Ce message a été supprimé.
post-by = Message de { $name }
replies-count = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
likes-count = { $count ->
    [one] { $count } j'aime
   *[other] { $count } j'aime
}
like = J'aime
unlike = Je n'aime plus
delete = Supprimer
delete-confirm = Supprimer ce message ?
older = Plus anciens

sign-in-title = Connexion
sign-in-login = Nom ou adresse e-mail
sign-in-password = Mot de passe
sign-in-submit = Se connecter
sign-in-failed = Nom ou mot de passe incorrect.
sign-in-throttled = Trop de tentatives : attendez quelques minutes avant de réessayer.
sign-in-to-reply = Connectez-vous pour répondre
registration-open = Nouveau ? Chacun peut créer un compte avec une application Mastodon ou l'API.
registration-invite = Les comptes sont créés sur invitation : demandez-en une à un administrateur.
registration-closed = Les comptes sont créés par les administrateurs.
apps-title = Utiliser une application Mastodon
apps-text = Passerelle fonctionne avec les applications Mastodon sur téléphone et ordinateur : dans l'application, indiquez le serveur { $domain } et connectez-vous.
rules-title = Règles
public-communities = Communautés publiques

compose-title = Écrire
compose-where = Où
compose-my-profile = Sur mon profil
compose-thread-title = Titre (pour un fil de communauté)
compose-text = Message
compose-format = Format
format-plain = Texte brut
format-markdown = Markdown
compose-visibility = Qui peut le voir (sur mon profil)
compose-hint = Dans une communauté, la visibilité de la communauté s'applique.
compose-images = Images
compose-images-help = Jusqu'à quatre images. Décrivez chacune pour les personnes qui ne la voient pas.
compose-image-n = Image { $n }
compose-image-alt = Description
compose-poll = Sondage
compose-poll-help = Écrivez de deux à quatre réponses possibles pour poser une question.
compose-poll-option = Réponse { $n }
compose-poll-expires = Ouvert pendant
compose-poll-multiple = Plusieurs réponses permises
compose-warning = Avertissement
compose-warning-label = Avertissement affiché avant le texte (le texte reste masqué jusqu'à ce qu'on l'ouvre)
duration-hour = 1 heure
duration-day = 1 jour
duration-3-days = 3 jours
duration-week = 1 semaine
poll-choose-one = Choisissez une réponse
poll-choose-several = Choisissez une ou plusieurs réponses
poll-vote = Voter
poll-your-choice = votre choix
poll-voters = { $count ->
    [one] { $count } personne a voté
   *[other] { $count } personnes ont voté
}
poll-closed = Sondage terminé
poll-ends = Se termine le { $when } (UTC)
compose-submit = Publier
feed-title = Fil d'actualité
feed-empty = Rien pour l'instant : rejoignez des communautés et suivez des collègues pour remplir votre fil.

communities-title = Communautés
communities-search = Chercher une communauté
search = Chercher
communities-none = Aucune communauté trouvée.
members-count = { $count ->
    [one] { $count } membre
   *[other] { $count } membres
}
threads-count = { $count ->
    [one] { $count } fil
   *[other] { $count } fils
}
community-create = Créer une communauté
community-name = Nom court (minuscules, chiffres, _)
community-title = Titre
community-visibility = Visibilité
community-create-submit = Créer
join = Rejoindre
request-join = Demander à rejoindre
cancel-request = Annuler ma demande
leave = Quitter
moderators = Modération
thread-new = Nouveau fil
thread-title = Titre
thread-body = Texte
markdown-hint = Le Markdown est pris en charge : **gras**, _italique_, listes, liens.
thread-submit = Publier le fil
threads-title = Fils de discussion
threads-none = Aucun fil pour l'instant.
sort-label = Trier les fils
sort-active = Activité récente
sort-new = Nouveaux
sort-top = Les plus suivis
pinned = Épinglé
pin = Épingler en tête
unpin = Désépingler
members-of = Membres de { $name }
members-none = Aucun membre pour l'instant.

reply = Répondre
reply-text = Votre réponse
reply-submit = Envoyer
comment-title = Commenter

followers-count = { $count ->
    [one] { $count } abonné
   *[other] { $count } abonnés
}
posts-count = { $count ->
    [one] { $count } message
   *[other] { $count } messages
}
follow = Suivre
unfollow = Ne plus suivre
posts-title = Messages
posts-none = Aucun message pour l'instant.

settings-title = Réglages
save = Enregistrer
profile-title = Profil
profile-display-name = Nom affiché
profile-bio = À propos de moi
profile-fields = Champs du profil
profile-fields-help = Jusqu'à quatre, comme Service, Fonction ou Site : ils aident vos collègues à trouver qui sait quoi.
profile-field-name = Intitulé
profile-field-value = Contenu
profile-pictures = Images
profile-avatar = Photo de profil (carrée)
profile-avatar-remove = Retirer la photo de profil
profile-header = Bannière (large)
profile-header-remove = Retirer la bannière
live-new-comment = Un nouveau commentaire est arrivé.
saved-profile = Votre profil est enregistré.
saved-password = Votre mot de passe est changé.
saved-revoked = Déconnecté à cet endroit.
password-title = Mot de passe
password-current = Mot de passe actuel
password-new = Nouveau mot de passe
password-confirm = Nouveau mot de passe, à nouveau
password-submit = Changer le mot de passe
sessions-title = Où vous êtes connecté
signed-in-at = Connexion
last-used-at = Dernière utilisation
actions = Actions
this-session = Ce navigateur
sign-out-session = Déconnecter
sign-out-others = Déconnecter partout ailleurs
apps-list-title = Applications autorisées
apps-none = Aucune application n'a accès à votre compte.
app-name = Application
revoke-app = Retirer l'accès
nav-notifications = Notifications
nav-search = Recherche
notifications-title = Notifications
notifications-none = Aucune notification pour l'instant.
notification-mention = vous a mentionné
notification-favourite = aime votre message
notification-follow = vous suit
notification-follow_request = demande à vous suivre ou à rejoindre votre communauté
notification-reblog = a partagé votre message
notification-status = a publié
notification-update = a modifié un message
notification-poll = : un sondage est terminé
search-title = Recherche
search-label = Personnes, communautés ou mots
search-people = Personnes
search-communities = Communautés
search-posts = Messages
search-nothing = Rien trouvé.
moderation-title = Modération de { $name }
moderation-back = Retour à la communauté
moderation-link = Modération
requests-title = Demandes d'adhésion
requests-none = Aucune demande en attente.
request-first-server = Premier membre de ce serveur : accepter permet à ses administrateurs de lire tout ce que la communauté publie.
approve = Accepter
reject = Refuser
reports-title = Signalements ouverts
reports-none = Aucun signalement ouvert.
report-line = { $reporter } a signalé
report-post = Message
resolve = Marquer comme traité
ban-title = Bannir un membre
ban-account = Compte (nom ou nom@serveur)
ban-reason = Motif
ban-submit = Bannir
bans-current = Personnes bannies
bans-none = Personne n'est banni.
unban = Lever le bannissement
removed-title = Publications retirées
removed-none = Aucune publication n'a été retirée.
restore = Rétablir
remove = Retirer
add = Ajouter
moderator-add = Nommer un modérateur (le nom d'un membre ou nom@serveur)
owner-transfer = Confier la communauté à (un membre d’ici, par ex. nom)
owner-transfer-button = Confier
owner-transfer-help = Le nouveau responsable reprend les réglages et la modération ; vous restez modérateur.
community-settings = Réglages de la communauté
community-description = Description (Markdown)
partners-title = Serveurs partenaires
partners-help = Serveurs dont les personnes peuvent adhérer quand la communauté est partagée avec des partenaires.
partner-add = Ajouter un serveur partenaire
ledger-title = Serveurs qui détiennent le contenu de cette communauté
ledger-help = Chaque serveur atteint par nos envois, pour savoir où est allé le contenu confidentiel.
ledger-none = Aucun autre serveur n'a rien reçu.
server = Serveur
objects = Objets
last-delivery = Dernier envoi
revoke-server = Révoquer
revoke-confirm = Révoquer ce serveur : ses membres sont retirés et il lui est demandé d'effacer le contenu ?
nav-admin = Administration
admin-title = Administration
admin-settings = Réglages de l'instance
admin-settings-help = Les changements s'appliquent aussitôt, sur chaque nœud, par-dessus config.toml.
admin-name = Nom de l'instance
admin-description = Description
admin-contact = Adresse e-mail de contact
admin-logo = URL du logo (vide : le logo intégré)
admin-accent = Couleur d'accent
admin-default-language = Langue par défaut
admin-registration = Inscriptions
registration-mode-closed = Fermées : les administrateurs créent les comptes
registration-mode-invite = Sur invitation
registration-mode-open = Ouvertes à tous
admin-rules = Règles (une par ligne)
saved-settings = Les réglages sont enregistrés.
admin-people = Personnes
admin-people-search = Chercher par nom ou e-mail
person = Personne
email = E-mail
last-sign-in = Dernière connexion
role-admin = Administrateur
suspended = Suspendu
suspend = Suspendre
reinstate = Rétablir
make-admin = Nommer administrateur
revoke-admin = Retirer le rôle d'administrateur
person-create = Créer un compte
person-name = Nom (minuscules, chiffres, _)
person-create-submit = Créer le compte
invite-title = Inviter quelqu'un
invite-help = Une invitation à usage unique, valable 14 jours, à envoyer à la personne.
invite-submit = Créer une invitation
invite-made = Lien d'invitation, à envoyer une fois :
admin-federation = Fédération
federation-mode = Mode
federation-mode-help = Avec quels serveurs cette instance échange. Un changement s'applique aussitôt, sur chaque nœud.
federation-mode-open = Ouverte
federation-mode-open-help = tous les serveurs sauf ceux qui sont bloqués.
federation-mode-allowlist = Liste d'autorisation
federation-mode-allowlist-help = seulement les serveurs autorisés (vos partenaires) ; les documents exigent une requête signée.
federation-mode-closed = Fermée
federation-mode-closed-help = aucun autre serveur : l'instance reste interne.
federation-lists = Listes de serveurs
list = Liste
list-allow = Autorisé
list-block = Bloqué
list-partner = Partenaire
from-config = Depuis config.toml
queue-title = File d'envoi
queue-failing = { $count ->
    [one] { $count } envoi en échec
   *[other] { $count } envois en échec
}
queue-unreachable = { $count ->
    [one] { $count } serveur injoignable
   *[other] { $count } serveurs injoignables
}
queue-inbound = { $count ->
    [one] { $count } activité reçue en attente
   *[other] { $count } activités reçues en attente
}
queue-inbound-failed = { $count } en échec
queue-empty = Rien en attente : tout a été envoyé.
pending = En attente
oldest = La plus ancienne
retry-now = Réessayer maintenant
admin-reports = Signalements
report-in-community = dans une communauté
signup-title = Créer votre compte
signup-name = Nom (minuscules, chiffres, _)
signup-invite = Code d'invitation
signup-agreement = J'accepte les règles de cette instance
signup-submit = Créer mon compte

# Posts: edit, report; conversations
edit = Modifier
edit-title = Modifier le message
edit-spoiler = Avertissement de contenu (facultatif)
edit-sensitive = Contenu sensible
edit-text = Texte
edit-hint = Les personnes qui voient ce message verront le nouveau texte, signalé comme modifié.
edit-submit = Enregistrer les modifications
cancel = Annuler
report = Signaler
report-title = Signaler { $name }
report-why = Quel est le problème ?
report-intro = Votre signalement est transmis aux modérateurs. La personne signalée ne sait pas qui l'a signalée.
report-category = Motif
report-category-spam = Spam
report-category-legal = Contenu illégal
report-category-violation = Enfreint les règles de cette instance
report-category-other = Autre chose
report-comment = Précisions pour les modérateurs (facultatif)
report-rules = Règles enfreintes (s'il y en a)
report-forward = Transmettre aussi le signalement, sans votre nom, aux modérateurs de son serveur
report-submit = Envoyer le signalement
report-sent-title = Signalement envoyé
report-sent-text = Merci, les modérateurs vont l'examiner.
nav-messages = Messages
conversations-title = Messages
conversations-none = Aucune conversation pour l'instant.
conversations-back = Tous les messages
conversation-with = Conversation avec { $names }
conversation-alone = Personne d'autre que vous
conversation-unread = Non lu
conversation-last = { $name } a écrit :
conversation-empty = Aucun message ne peut être affiché ici.
conversation-reply = Répondre
message-new = Nouveau message
message-recipients = À (une ou plusieurs personnes)
message-recipients-example = @nom, @nom@serveur
message-text = Message
message-private-hint = Seules les personnes nommées voient ce message, ainsi que les modérateurs s'il est signalé.
message-send = Envoyer

## Agenda
nav-agenda = Agenda
agenda = Agenda
agenda-of = Agenda de { $name }
agenda-upcoming = À venir
agenda-past = Passés
agenda-month = Mois
agenda-none = Pas encore d'événement ici.
agenda-subscribe = S'abonner dans un agenda
agenda-mine = Mon agenda
agenda-mine-none = Vous ne participez à aucun événement à venir.
agenda-feed = Mon lien d'agenda
agenda-feed-help = Ajoutez ce lien à votre application d'agenda (Outlook, Google Agenda, Calendrier d'Apple, Thunderbird) pour y voir vos événements. Quiconque l'a lit votre agenda : gardez-le pour vous.
agenda-feed-renew = Créer un nouveau lien (l'ancien cesse de fonctionner)
day-mon = lun.
day-tue = mar.
day-wed = mer.
day-thu = jeu.
day-fri = ven.
day-sat = sam.
day-sun = dim.
event-new = Nouvel événement
event-title = Titre
event-starts = Début
event-ends = Fin
event-all-day = Toute la journée
event-time-zone = Fuseau horaire
event-location = Lieu
event-online-link = Lien de réunion en ligne
event-capacity = Places (vide : sans limite)
event-description = Description
event-image = Image (facultative)
event-image-alt = Ce que montre l’image (pour qui ne la voit pas)
event-create = Créer l'événement
event-cancelled = Annulé
event-online = Rejoindre en ligne
event-ics = Ajouter à l'agenda
event-answers = Qui vient
event-going-count = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
event-going-few = Moins de 5 participants
event-maybe-count = { $count } peut-être
event-waitlisted-count = { $count } en attente d'une place
event-capacity-count = { $count } places
event-full = Complet
event-your-answer = Votre réponse :
event-on-waitlist = en liste d'attente
event-answer = Réponse
event-answer-going = J'y vais
event-answer-maybe = Peut-être
event-answer-declined = Je n'y vais pas
event-answer-none = Retirer ma réponse
event-who-answered = Qui a répondu
event-cancel = Annuler l'événement
event-reinstate = Rétablir l'événement
event-back = Retour à l'événement
event-person = Personne
event-answered-at = Réponse
event-visibility = Qui le voit
event-no-answers = Personne n'a encore répondu.
notification-event_reminder = : votre événement commence dans moins d'une heure
## People directory and expert finder
nav-directory = Annuaire
directory-title = Annuaire des personnes
directory-search = Nom, bio, champs ou compétences
directory-any = Tous
directory-results = Personnes
directory-none = Personne ne correspond.
directory-field-department = Service
directory-field-job-title = Fonction
directory-field-location = Site
directory-field-phone = Téléphone
directory-field-languages = Langues parlées
directory-field-skills = Compétences
directory-profile = Annuaire
directory-profile-help = Ce que l'annuaire montre aux collègues de cette instance (jamais aux autres serveurs).
directory-skills-help = Séparées par des virgules, par ex. rust, marchés publics, allemand
experts-link = Trouver un expert
experts-title = Trouver un expert
experts-help = Posez une question ou nommez une compétence : vous obtenez les collègues qui l'ont déclarée et les communautés où on en parle.
experts-question = Question ou compétence
experts-people = Collègues
experts-communities = Communautés qui en parlent
experts-ranking = Classement par compétences déclarées, puis par les mots du profil et l'appartenance à des communautés publiques sur le sujet ; jamais par ce que les gens publient ou lisent.
role-ambassador = Ambassadeur
make-ambassador = Nommer ambassadeur
revoke-ambassador = Retirer le badge d'ambassadeur
surveys = Sondages
surveys-of = Sondages de { $name }
surveys-none = Aucun sondage ici pour l’instant.
survey = Sondage
survey-new = Nouveau sondage
survey-title = Titre
survey-description = Description
survey-closes-at = Clôture le
survey-results-to = Résultats visibles par
survey-results-respondents = Les répondants, une fois qu’ils ont répondu
survey-results-author = Moi seulement
survey-question = Question { $n }
survey-kind-single = Choix unique
survey-kind-multiple = Choix multiple
survey-kind-scale = Échelle de 1 à 5
survey-kind-text = Texte libre
survey-options = Options, une par ligne (questions à choix)
survey-questions-help = Laissez une question vide pour l’omettre.
survey-create = Créer le sondage
survey-open-until = Ouvert jusqu’au { $date }
survey-closed = Ce sondage est clos.
survey-anonymous = Les réponses sont anonymes : personne, pas même l’auteur, ne voit qui a répondu quoi.
survey-answered = Vous avez répondu à ce sondage.
survey-sign-in = Connectez-vous pour répondre : ici, ou sur un serveur partenaire qui affiche ce sondage.
survey-send = Envoyer mes réponses
survey-results = Résultats
survey-respondents = Répondants : { $count }
survey-mean = Moyenne
survey-withheld = Les réponses libres sont affichées à partir de 5 répondants.
survey-results-hidden = Les résultats ne sont visibles que par l’auteur.
survey-export = Exporter les résultats (CSV)
