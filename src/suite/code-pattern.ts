/**
 * The syntax of the patterns in an expectation (matching them is the dialogue runner's job:
 * src/dialogue/expectation.ts).
 *
 *   code pattern      = 3 ( DIGIT / "x" ), the first one of 2 3 4 5 x      e.g. 250, 2xx, 55x
 *   enhanced pattern  = "*" / class "." part "." part
 *   class             = "2" / "4" / "5" / "x"
 *   part              = 1*3DIGIT / "x"                                      e.g. 2.1.0, 5.x.x
 */
const CODE_PATTERN = /^[2-5x][0-9x]{2}$/;
const ENHANCED_PATTERN = /^(?:\*|[245x]\.(?:\d{1,3}|x)\.(?:\d{1,3}|x))$/;

export function isCodePattern(pattern: string): boolean {
  return CODE_PATTERN.test(pattern);
}

export function isEnhancedPattern(pattern: string): boolean {
  return ENHANCED_PATTERN.test(pattern);
}
