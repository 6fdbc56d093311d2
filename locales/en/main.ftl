# Passerelle's web interface, in English. Every key exists in fr/main.ftl too
# (a unit test checks both files and the templates).

skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-communities = Communities
nav-profile = My profile
nav-settings = Settings
nav-sign-out = Sign out
nav-sign-in = Sign in
language = Language
language-apply = Apply
language-choose = Language of the interface
powered-by = Powered by Passerelle, free software (AGPL-3.0).

error-not-found = This page does not exist or is not visible to you
error-forbidden = You may not do this
error-too-many = Too many attempts: wait a moment and try again
error-server = Something went wrong on our side
error-invalid = This could not be done
error-code = Error { $code }
error-home = Back to the home page

public = Public
unlisted = Unlisted
private = Followers only
direct = Direct
partners = Partners
members = Members only
internal = Internal

boosted-by = Shared by { $name }
in-community = in
edited = (edited)
post-deleted = This message was deleted.
post-by = Post by { $name }
replies-count = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
likes-count = { $count ->
    [one] { $count } like
   *[other] { $count } likes
}
like = Like
unlike = Unlike
delete = Delete
delete-confirm = Delete this message?
older = Older

sign-in-title = Sign in
sign-in-login = Name or e-mail
sign-in-password = Password
sign-in-submit = Sign in
sign-in-failed = Invalid name or password.
sign-in-throttled = Too many attempts: wait a few minutes before trying again.
sign-in-to-reply = Sign in to reply
registration-open = New here? Anyone can create an account with a Mastodon app or the API.
registration-invite = Accounts are made by invitation: ask an administrator for one.
registration-closed = Accounts are made by the administrators.
apps-title = Use a Mastodon app
apps-text = Passerelle works with Mastodon apps on phones and computers: in the app, enter the server { $domain } and sign in.
rules-title = Rules
public-communities = Public communities

compose-title = Write
compose-where = Where
compose-my-profile = On my profile
compose-thread-title = Title (for a community thread)
compose-text = Message
compose-format = Format
format-plain = Plain text
format-markdown = Markdown
compose-visibility = Who can see it (on my profile)
compose-hint = In a community, the community's visibility applies.
compose-images = Images
compose-images-help = Up to four images. Describe each one for people who cannot see it.
compose-image-n = Image { $n }
compose-image-alt = Description
compose-poll = Poll
compose-poll-help = Write two to four choices to ask a question.
compose-poll-option = Choice { $n }
compose-poll-expires = Open for
compose-poll-multiple = Several choices allowed
compose-warning = Content warning
compose-warning-label = Warning shown before the text (the text stays hidden until opened)
duration-hour = 1 hour
duration-day = 1 day
duration-3-days = 3 days
duration-week = 1 week
poll-choose-one = Choose one answer
poll-choose-several = Choose one or more answers
poll-vote = Vote
poll-your-choice = your choice
poll-voters = { $count ->
    [one] { $count } person voted
   *[other] { $count } people voted
}
poll-closed = Poll closed
poll-ends = Ends { $when } (UTC)
compose-submit = Publish
feed-title = News feed
feed-empty = Nothing here yet: join communities and follow colleagues to fill your feed.

communities-title = Communities
communities-search = Search communities
search = Search
communities-none = No community found.
members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
threads-count = { $count ->
    [one] { $count } thread
   *[other] { $count } threads
}
community-create = Create a community
community-name = Short name (lowercase letters, digits, _)
community-title = Title
community-visibility = Visibility
community-create-submit = Create
join = Join
request-join = Ask to join
cancel-request = Cancel my request
leave = Leave
moderators = Moderators
thread-new = New thread
thread-title = Title
thread-body = Text
markdown-hint = Markdown is supported: **bold**, _italics_, lists, links.
thread-submit = Publish the thread
threads-title = Threads
threads-none = No thread yet.
sort-label = Sort the threads
sort-active = Latest activity
sort-new = New
sort-top = Top
pinned = Pinned
pin = Pin first
unpin = Unpin
members-of = Members of { $name }
members-none = No members yet.

reply = Reply
reply-text = Your reply
reply-submit = Send
comment-title = Comment

followers-count = { $count ->
    [one] { $count } follower
   *[other] { $count } followers
}
posts-count = { $count ->
    [one] { $count } post
   *[other] { $count } posts
}
follow = Follow
unfollow = Unfollow
posts-title = Posts
posts-none = No post yet.

settings-title = Settings
save = Save
profile-title = Profile
profile-display-name = Display name
profile-bio = About me
profile-fields = Profile fields
profile-fields-help = Up to four, such as Department, Role or Location: they help colleagues find who knows what.
profile-field-name = Label
profile-field-value = Content
profile-pictures = Pictures
profile-avatar = Profile picture (square)
profile-avatar-remove = Remove the profile picture
profile-header = Banner (wide)
profile-header-remove = Remove the banner
live-new-comment = A new comment has arrived.
saved-profile = Your profile is saved.
saved-password = Your password is changed.
saved-revoked = Signed out there.
password-title = Password
password-current = Current password
password-new = New password
password-confirm = New password, again
password-submit = Change the password
sessions-title = Where you are signed in
signed-in-at = Signed in
last-used-at = Last used
actions = Actions
this-session = This browser
sign-out-session = Sign out
sign-out-others = Sign out everywhere else
apps-list-title = Authorised apps
apps-none = No app has access to your account.
app-name = App
revoke-app = Revoke access
nav-notifications = Notifications
nav-search = Search
notifications-title = Notifications
notifications-none = No notification yet.
notification-mention = mentioned you
notification-favourite = liked your post
notification-follow = follows you
notification-follow_request = asks to follow you or to join your community
notification-reblog = shared your post
notification-status = posted
notification-update = edited a post
notification-poll = : a poll has ended
search-title = Search
search-label = People, communities or words
search-people = People
search-communities = Communities
search-posts = Posts
search-nothing = Nothing found.
moderation-title = Moderation of { $name }
moderation-back = Back to the community
moderation-link = Moderation
requests-title = Join requests
requests-none = No pending request.
request-first-server = First member from this server: approving lets its administrators read everything the community publishes.
approve = Approve
reject = Reject
reports-title = Open reports
reports-none = No open report.
report-line = { $reporter } reported
report-post = Post
resolve = Mark as resolved
ban-title = Ban a member
ban-account = Account (name or name@server)
ban-reason = Reason
ban-submit = Ban
bans-current = Banned
bans-none = Nobody is banned.
unban = Lift the ban
removed-title = Removed posts
removed-none = No post has been removed.
restore = Restore
remove = Remove
add = Add
moderator-add = Appoint a moderator (a member's name or name@server)
owner-transfer = Hand the community over to (a member here, e.g. name)
owner-transfer-button = Hand over
owner-transfer-help = The new owner takes over the settings and moderators; you stay a moderator.
community-settings = Community settings
community-description = Description (Markdown)
partners-title = Partner servers
partners-help = Servers whose people may join when the community is shared with partners.
partner-add = Add a partner server
ledger-title = Servers holding this community's content
ledger-help = Every server our deliveries reached, so you know where confidential content went.
ledger-none = No other server has received anything.
server = Server
objects = Objects
last-delivery = Last delivery
revoke-server = Revoke
revoke-confirm = Revoke this server: its members are removed and it is asked to delete the content?
nav-admin = Administration
admin-title = Administration
admin-settings = Instance settings
admin-settings-help = Changes apply at once, on every node, over config.toml.
admin-name = Name of the instance
admin-description = Description
admin-contact = Contact e-mail address
admin-logo = Logo URL (empty: the built-in logo)
admin-accent = Accent colour
admin-default-language = Default language
admin-registration = Registration
registration-mode-closed = Closed: administrators create accounts
registration-mode-invite = By invitation
registration-mode-open = Open to anyone
admin-rules = Rules (one per line)
saved-settings = The settings are saved.
admin-people = People
admin-people-search = Search by name or e-mail
person = Person
email = E-mail
last-sign-in = Last sign-in
role-admin = Administrator
suspended = Suspended
suspend = Suspend
reinstate = Reinstate
make-admin = Make administrator
revoke-admin = Withdraw administrator role
person-create = Create an account
person-name = Name (lowercase letters, digits, _)
person-create-submit = Create the account
invite-title = Invite someone
invite-help = A single-use invitation, valid for 14 days, to send to the person.
invite-submit = Make an invitation
invite-made = Invitation link, to send once:
admin-federation = Federation
federation-mode = Mode
federation-mode-help = Which servers this instance exchanges with. A change applies at once, on every node.
federation-mode-open = Open
federation-mode-open-help = every server but the blocked ones.
federation-mode-allowlist = Allowlist
federation-mode-allowlist-help = only the servers on the allowlist (your partners); documents need a signed request.
federation-mode-closed = Closed
federation-mode-closed-help = no other server: the instance stays internal.
federation-lists = Server lists
list = List
list-allow = Allowed
list-block = Blocked
list-partner = Partner
from-config = From config.toml
queue-title = Delivery queue
queue-failing = { $count ->
    [one] { $count } delivery failing
   *[other] { $count } deliveries failing
}
queue-unreachable = { $count ->
    [one] { $count } server unreachable
   *[other] { $count } servers unreachable
}
queue-inbound = { $count ->
    [one] { $count } received activity waiting
   *[other] { $count } received activities waiting
}
queue-inbound-failed = { $count } failed
queue-empty = Nothing waiting: every delivery has been made.
pending = Waiting
oldest = Oldest
retry-now = Retry now
admin-reports = Reports
report-in-community = in a community
signup-title = Create your account
signup-name = Name (lowercase letters, digits, _)
signup-invite = Invitation code
signup-agreement = I accept the rules of this instance
signup-submit = Create my account

# Posts: edit, report; conversations
edit = Edit
edit-title = Edit the post
edit-spoiler = Content warning (optional)
edit-sensitive = Sensitive content
edit-text = Text
edit-hint = Those who can see the post will see the new text, marked as edited.
edit-submit = Save the changes
cancel = Cancel
report = Report
report-title = Report { $name }
report-why = What is wrong?
report-intro = Your report goes to the moderators. The person reported is not told who reported them.
report-category = Reason
report-category-spam = Spam
report-category-legal = Illegal content
report-category-violation = Breaks the rules of this instance
report-category-other = Something else
report-comment = Details for the moderators (optional)
report-rules = Rules it breaks (if any)
report-forward = Also send the report, without your name, to their server's moderators
report-submit = Send the report
report-sent-title = Report sent
report-sent-text = Thank you, the moderators will look at it.
nav-messages = Messages
conversations-title = Messages
conversations-none = No conversation yet.
conversations-back = All messages
conversation-with = Conversation with { $names }
conversation-alone = Only you
conversation-unread = Unread
conversation-last = { $name } wrote:
conversation-empty = No message can be shown here.
conversation-reply = Answer
message-new = New message
message-recipients = To (one or more people)
message-recipients-example = @name, @name@server
message-text = Message
message-private-hint = Only the people named see this message, and the moderators if it is reported.
message-send = Send

## Agenda
nav-agenda = Agenda
agenda = Agenda
agenda-of = Agenda of { $name }
agenda-upcoming = Upcoming
agenda-past = Past
agenda-month = Month
agenda-none = No events here yet.
agenda-subscribe = Subscribe in a calendar app
agenda-mine = My agenda
agenda-mine-none = You are not going to any upcoming event.
agenda-feed = My calendar link
agenda-feed-help = Add this link to your calendar app (Outlook, Google Calendar, Apple Calendar, Thunderbird) to see your events there. Anyone with it reads your agenda: keep it to yourself.
agenda-feed-renew = Make a new link (the old one stops working)
day-mon = Mon
day-tue = Tue
day-wed = Wed
day-thu = Thu
day-fri = Fri
day-sat = Sat
day-sun = Sun
event-new = New event
event-title = Title
event-starts = Starts
event-ends = Ends
event-all-day = All day
event-time-zone = Time zone
event-location = Place
event-online-link = Online meeting link
event-capacity = Places (empty: no limit)
event-description = Description
event-image = Image (optional)
event-image-alt = What the image shows (for people who cannot see it)
event-create = Create the event
event-cancelled = Cancelled
event-online = Join online
event-ics = Add to calendar
event-answers = Who is coming
event-going-count = { $count ->
    [one] { $count } going
   *[other] { $count } going
}
event-going-few = Fewer than 5 going
event-maybe-count = { $count } maybe
event-waitlisted-count = { $count } waiting for a place
event-capacity-count = { $count } places
event-full = Full
event-your-answer = Your answer:
event-on-waitlist = on the waiting list
event-answer = Answer
event-answer-going = Going
event-answer-maybe = Maybe
event-answer-declined = Not going
event-answer-none = Take back my answer
event-who-answered = Who answered
event-cancel = Cancel the event
event-reinstate = Reinstate the event
event-back = Back to the event
event-person = Person
event-answered-at = Answered
event-visibility = Who sees it
event-no-answers = Nobody has answered yet.
notification-event_reminder = : your event starts within the hour
## People directory and expert finder
nav-directory = Directory
directory-title = People directory
directory-search = Name, bio, fields or skills
directory-any = Any
directory-results = People
directory-none = Nobody matches.
directory-field-department = Department
directory-field-job-title = Job title
directory-field-location = Location
directory-field-phone = Phone
directory-field-languages = Languages spoken
directory-field-skills = Skills
directory-profile = Directory
directory-profile-help = What the people directory shows colleagues of this instance (never other servers).
directory-skills-help = Separated by commas, e.g. rust, public procurement, german
experts-link = Find an expert
experts-title = Find an expert
experts-help = Ask a question or name a skill: you get the colleagues who declared it and the communities where it is discussed.
experts-question = Question or skill
experts-people = Colleagues
experts-communities = Communities discussing it
experts-ranking = Ranked by declared skills, then profile words and membership of public communities about the topic; never by what people post or read.
role-ambassador = Ambassador
make-ambassador = Make ambassador
revoke-ambassador = Withdraw ambassador badge
surveys = Surveys
surveys-of = Surveys of { $name }
surveys-none = No surveys here yet.
survey = Survey
survey-new = New survey
survey-title = Title
survey-description = Description
survey-closes-at = Closes at
survey-results-to = Results visible to
survey-results-respondents = Respondents, once they have answered
survey-results-author = Only me
survey-question = Question { $n }
survey-kind-single = Single choice
survey-kind-multiple = Multiple choice
survey-kind-scale = Scale from 1 to 5
survey-kind-text = Free text
survey-options = Options, one per line (choice questions)
survey-questions-help = Leave a question blank to leave it out.
survey-create = Create the survey
survey-open-until = Open until { $date }
survey-closed = This survey is closed.
survey-anonymous = Answers are anonymous: nobody, not even the author, sees who answered what.
survey-answered = You have answered this survey.
survey-sign-in = Sign in to answer: here, or on a partner server that shows this survey.
survey-send = Send my answers
survey-results = Results
survey-respondents = Respondents: { $count }
survey-mean = Mean
survey-withheld = Free-text answers are shown from 5 respondents on.
survey-results-hidden = The results are visible to the author only.
survey-export = Export the results (CSV)
