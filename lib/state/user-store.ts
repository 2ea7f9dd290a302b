/** The employee's own choices, persisted in storage.local (read back defensively: repaired, never trusted). */
import { browser } from 'wxt/browser';
import { USER_STATE_DEFAULTS, USER_STATE_KEY, UserState } from './capture-state';

export async function loadUserState(): Promise<UserState> {
  const stored = (await browser.storage.local.get(USER_STATE_KEY))[USER_STATE_KEY];
  const parsed = UserState.safeParse({ ...USER_STATE_DEFAULTS, ...(stored && typeof stored === 'object' ? stored : {}) });
  return parsed.success ? parsed.data : { ...USER_STATE_DEFAULTS };
}

export async function saveUserState(state: UserState): Promise<void> {
  await browser.storage.local.set({ [USER_STATE_KEY]: state });
}
