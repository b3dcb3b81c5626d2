import type { SliceCreator } from './types';

export type PageName =
  | 'dashboard'
  | 'messages'
  | 'queue'
  | 'bounces'
  | 'suppressions'
  | 'connections'
  | 'domains'
  | 'quota'
  | 'settings'
  | 'activity';

export interface NavigationSlice {
  navigation: {
    page: PageName;
    /** The message whose detail is open on the Messages page; null shows the list. */
    selectedMessageId: string | null;
  };
  navigate(page: PageName): void;
  openMessage(id: string): void;
  closeMessage(): void;
}

export const createNavigationSlice: SliceCreator<NavigationSlice> = (set) => ({
  navigation: { page: 'dashboard', selectedMessageId: null },

  navigate(page) {
    set((s) => ({ navigation: { ...s.navigation, page } }));
  },

  openMessage(id) {
    set({ navigation: { page: 'messages', selectedMessageId: id } });
  },

  closeMessage() {
    set((s) => ({ navigation: { ...s.navigation, selectedMessageId: null } }));
  },
});
