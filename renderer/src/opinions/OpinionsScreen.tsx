import '../styles/opinions.css';
import { ComparisonScreen } from './ComparisonScreen';
import { OpinionEditor } from './OpinionEditor';
import { OpinionList } from './OpinionList';
import { useOpinionRoute } from './route';

/** The Opinions section: the list, the editor (new or existing) and the side-by-side comparison. */
export function OpinionsScreen() {
  const route = useOpinionRoute();
  switch (route.view) {
    case 'list':
      return <OpinionList />;
    case 'new':
      return <OpinionEditor key="new" id={null} />;
    case 'edit':
      return <OpinionEditor key={route.id} id={route.id} />;
    case 'compare':
      return <ComparisonScreen key={route.ids.join('+')} ids={route.ids} />;
  }
}
