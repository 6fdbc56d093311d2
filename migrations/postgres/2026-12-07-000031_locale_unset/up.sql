-- Every account was made with 'en', which nobody chose: an unset language
-- lets the browser's apply until the person picks one.
UPDATE users SET locale = '' WHERE locale = 'en';
