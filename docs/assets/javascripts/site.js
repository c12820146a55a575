// Site-wide behaviour. Feature scripts live in their own files (glossary.js, levels.js).
