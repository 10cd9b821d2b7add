import type { FunctionComponent } from 'preact';
import type { ScreenId } from '../workspace-context';
import { CommitmentScreen } from './CommitmentScreen';
import { CyclesScreen } from './CyclesScreen';
import { DataScreen } from './DataScreen';
import { FrameworkScreen } from './FrameworkScreen';
import { GoalsScreen } from './GoalsScreen';
import { HeatMapScreen } from './HeatMapScreen';
import { HomeScreen } from './HomeScreen';
import { InboxScreen } from './InboxScreen';
import { PeopleScreen } from './PeopleScreen';
import { PlanChecksScreen } from './PlanChecksScreen';
import { ProgressScreen } from './ProgressScreen';
import { StrategyScreen } from './StrategyScreen';
import { TouchpointsScreen } from './TouchpointsScreen';

/** Each screen's component, by its id. */
export const SCREEN_COMPONENTS: Record<ScreenId, FunctionComponent> = {
  home: HomeScreen,
  inbox: InboxScreen,
  framework: FrameworkScreen,
  heatmap: HeatMapScreen,
  touchpoints: TouchpointsScreen,
  strategy: StrategyScreen,
  goals: GoalsScreen,
  progress: ProgressScreen,
  checks: PlanChecksScreen,
  commitment: CommitmentScreen,
  cycles: CyclesScreen,
  data: DataScreen,
  people: PeopleScreen,
};
