# What a notification says in one line: push titles and mail alerts.
alert-mention = { $name } mentioned you
alert-direct = { $name } sent you a direct message
alert-status = { $name } just posted
alert-reblog = { $name } boosted your post
alert-follow = { $name } now follows you
alert-follow-request = { $name } asks to follow you
alert-favourite = { $name } liked your post
alert-update = { $name } edited a post
alert-poll-own = Your poll has ended
alert-poll = A poll you voted in has ended
alert-join-request = { $name } asks to join { $community }
alert-report = { $name } filed a report to handle
alert-event = Your event starts within the hour
alert-other = New notification from { $name }
